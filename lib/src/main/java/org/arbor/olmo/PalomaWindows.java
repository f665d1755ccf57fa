package org.arbor.olmo;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.arbor.config.ConfigNode;
import org.arbor.random.Rng;

/**
 * Evaluation windows from Paloma text: token-id arrays of one fixed length, drawn from a seed, for
 * ProbeContext.textWindows (the in-context-learning score and natural-text inputs of other probes).
 * Documents are tokenized with the checkpoint's tokenizer.json (no special tokens added) and cut
 * into consecutive non-overlapping windows of {@code length} tokens: inside each document
 * ({@code packing: document}, as Paloma evaluates documents; shorter documents give none), or along
 * the concatenation of the documents with an optional separator token between them
 * ({@code packing: stream}, as OLMo was trained). {@code count} windows are drawn uniformly
 * without replacement from all candidates (reservoir sampling keyed by the seed, one pass, memory
 * count x length) and returned in corpus order.
 */
public final class PalomaWindows {
  private static final long PURPOSE = 0x50414C4FL; // "PALO"

  private PalomaWindows() {}

  /**
   * root: the Paloma directory; subsets: empty for all present; split: val or test; length and
   * count of the windows; packing: document or stream; separator: token id between documents in a
   * stream (-1: none); maxDocuments per subset (0: all).
   */
  public record Settings(Path root, List<String> subsets, String split, int length, int count, long seed,
      String packing, int separator, int maxDocuments) {
    public Settings {
      subsets = List.copyOf(subsets);
      if (length < 2 || count < 1) {
        throw new IllegalArgumentException("Paloma windows need length >= 2 and count >= 1, got " + length + " and " + count);
      }
      if (!packing.equals("document") && !packing.equals("stream")) {
        throw new IllegalArgumentException("Paloma packing '" + packing + "': expected document or stream");
      }
    }

    /** Keys: root, subsets, split (val), length (512), count (64), seed (0), packing (document), separator (-1), max_documents (0). */
    public static Settings fromConfig(ConfigNode n) {
      Path root = Path.of(n.string("root"));
      List<String> subsets = n.has("subsets") ? n.stringList("subsets") : List.of();
      String split = n.string("split", "val");
      if (!Paloma.SPLITS.contains(split)) {
        throw n.error("split", "expected val or test, got '" + split + "'");
      }
      int length = n.count("length", 512);
      if (length < 2) {
        throw n.error("length", "must be at least 2, got " + length);
      }
      int count = n.count("count", 64);
      if (count < 1) {
        throw n.error("count", "must be at least 1");
      }
      long seed = n.longValue("seed", 0);
      String packing = n.string("packing", "document");
      if (!packing.equals("document") && !packing.equals("stream")) {
        throw n.error("packing", "expected document or stream, got '" + packing + "'");
      }
      Settings s = new Settings(root, subsets, split, length, count, seed, packing, n.intValue("separator", -1),
          n.count("max_documents", 0));
      n.finish();
      return s;
    }
  }

  /** Windows tokenized with a Hugging Face tokenizer.json (the checkpoint's), through DJL's binding. */
  public static List<int[]> build(Settings s, Path tokenizerJson) throws IOException {
    try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(tokenizerJson,
        Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"))) {
      return build(s, text -> toInts(tok.encode(text).getIds()));
    }
  }

  private static int[] toInts(long[] ids) {
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  /** Windows with any tokenizer (text to ids). */
  public static List<int[]> build(Settings s, Function<String, int[]> tokenize) throws IOException {
    Paloma paloma = new Paloma(s.root());
    List<String> subsets = s.subsets().isEmpty() ? paloma.subsets() : s.subsets();
    if (subsets.isEmpty()) {
      throw new IllegalArgumentException(s.root() + ": no Paloma subsets (directories with val/ or test/)");
    }
    Reservoir r = new Reservoir(s.count(), new Rng(s.seed(), PURPOSE, 0));
    int[] pending = new int[s.length()];
    int[] filled = {0};
    for (String subset : subsets) {
      paloma.forEachText(subset, s.split(), s.maxDocuments(), text -> {
        int[] ids = tokenize.apply(text);
        if (s.packing().equals("document")) {
          for (int start = 0; start + s.length() <= ids.length; start += s.length()) {
            r.offer(Arrays.copyOfRange(ids, start, start + s.length()));
          }
          return;
        }
        for (int pass = 0; pass < 2; pass++) {
          int[] part = pass == 0 ? ids : s.separator() >= 0 ? new int[] {s.separator()} : new int[0];
          for (int id : part) {
            pending[filled[0]++] = id;
            if (filled[0] == s.length()) {
              r.offer(pending.clone());
              filled[0] = 0;
            }
          }
        }
      });
      if (s.packing().equals("document")) {
        filled[0] = 0;
      }
    }
    if (r.seen < s.count()) {
      throw new IllegalArgumentException(s.root() + ": only " + r.seen + " windows of " + s.length() + " tokens in subsets "
          + subsets + " (split " + s.split() + ", packing " + s.packing() + "), asked for " + s.count());
    }
    return r.inCorpusOrder();
  }

  /** Algorithm R: after n offers each has been kept with probability count / n. */
  private static final class Reservoir {
    final int[][] kept;
    final long[] index;
    final Rng rng;
    long seen;

    Reservoir(int count, Rng rng) {
      this.kept = new int[count][];
      this.index = new long[count];
      this.rng = rng;
    }

    void offer(int[] window) {
      long slot = seen < kept.length ? seen : (long) (rng.nextDouble() * (seen + 1));
      if (slot < kept.length) {
        kept[(int) slot] = window;
        index[(int) slot] = seen;
      }
      seen++;
    }

    List<int[]> inCorpusOrder() {
      Integer[] order = new Integer[kept.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(index[a], index[b]));
      List<int[]> out = new ArrayList<>();
      for (int i : order) {
        out.add(kept[i]);
      }
      return out;
    }
  }
}
