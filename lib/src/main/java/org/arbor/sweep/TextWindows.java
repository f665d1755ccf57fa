package org.arbor.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.arbor.config.ConfigNode;
import org.arbor.model.Checkpoint;
import org.arbor.olmo.PalomaWindows;

/**
 * Natural-text windows for a cell's probes: Paloma windows tokenized with the checkpoint's own
 * tokenizer.json for OLMo revisions that name a Paloma root; none otherwise (models trained on an
 * Arbor corpus read its held-out split).
 */
final class TextWindows {
  /**
   * Windows by (Paloma settings, tokenizer bytes): every probe group of every revision reads the same
   * windows, so the texts are tokenized once per executor rather than once per cell.
   */
  private static final Map<List<Object>, List<int[]>> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  private TextWindows() {}

  @SuppressWarnings("unchecked")
  static List<int[]> of(SweepCell c, Path checkpoint, String file) throws IOException, java.security.NoSuchAlgorithmException {
    Object paloma = c.options().get("paloma");
    if (paloma == null) {
      return List.of();
    }
    PalomaWindows.Settings s = PalomaWindows.Settings.fromConfig(ConfigNode.of(file, "runs.paloma", (Map<String, Object>) paloma));
    Path tokenizer = checkpoint.resolve(Checkpoint.TOKENIZER);
    List<Object> key = List.of(s, java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(java.nio.file.Files.readAllBytes(tokenizer))));
    List<int[]> windows = CACHE.get(key);
    if (windows == null) {
      windows = List.copyOf(PalomaWindows.build(s, tokenizer));
      CACHE.put(key, windows);
    }
    return windows;
  }
}
