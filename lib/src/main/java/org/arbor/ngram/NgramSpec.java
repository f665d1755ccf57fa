package org.arbor.ngram;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.Vocabulary;

/**
 * The flat N-gram baseline read from YAML (conf/ngram/*.yaml): Zipf context tables whose exponents
 * are drawn from a clipped normal, a context rule (variable order, hashed into the tables, as the
 * paper's released sampler; or a classic fixed order), and sentence and document lengths.
 */
public final class NgramSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String name;
  public final String file;
  public final int contentTokens;
  public final int tableCount;
  public final double exponentMu;
  public final double exponentSigma;
  public final double exponentMin;
  /** Each table ranks the tokens by its own random permutation instead of by id. */
  public final boolean permutedTables;
  /**
   * With permuted tables, the share of tables that permute (the others rank by id): between shared
   * (0) and fully permuted (1) rankings, so small vocabularies can be given a chosen context gain.
   */
  public final double permutedShare;
  /** Context orders (number of previous tokens of the sentence) and their weights. */
  public final int[] orders;
  public final double[] orderWeights;
  public final boolean fixedOrder;
  public final int minLength;
  public final int lengthSpread;
  public final int sentencesPerDocument;
  public final Vocabulary vocabulary;
  public final Map<String, Object> config;

  public static NgramSpec load(Path file) {
    return new NgramSpec(ConfigNode.load(file));
  }

  public NgramSpec(ConfigNode root) {
    file = root.file();
    config = root.raw();
    String kind = root.string("kind");
    if (!kind.equals("ngram")) {
      throw root.error("kind", "expected 'ngram' for an N-gram process, got '" + kind + "'");
    }
    name = root.string("name");
    ConfigNode v = root.child("vocabulary");
    contentTokens = v.count("content");
    if (contentTokens < 1) {
      throw v.error("content", "needs at least one content token");
    }
    String prefix = v.string("token_prefix", "w");
    int first = v.count("first_number", 0);
    v.finish();
    ConfigNode b = root.child("boundaries");
    String eos = b.string("sentence");
    b.finish();
    List<String> specials = new ArrayList<>();
    specials.add(eos);
    for (String s : root.stringList("specials")) {
      if (specials.contains(s)) {
        throw root.error("specials", "token " + s + " is listed twice");
      }
      specials.add(s);
    }
    vocabulary = new Vocabulary(prefix, first, contentTokens, specials);

    ConfigNode t = root.child("tables");
    tableCount = t.count("count");
    if (tableCount < 1) {
      throw t.error("count", "needs at least one table");
    }
    ConfigNode e = t.child("exponent");
    exponentMu = e.number("mu");
    exponentSigma = e.number("sigma");
    exponentMin = e.number("min");
    if (!Double.isFinite(exponentMu)) {
      throw e.error("mu", "must be a finite number, got " + exponentMu);
    }
    if (!(exponentSigma >= 0) || Double.isInfinite(exponentSigma)) {
      throw e.error("sigma", "must be a finite number >= 0, got " + exponentSigma);
    }
    if (!(exponentMin >= 0) || Double.isInfinite(exponentMin)) {
      throw e.error("min", "must be a finite number >= 0, got " + exponentMin);
    }
    e.finish();
    String ranking = t.string("ranking", "shared");
    switch (ranking) {
      case "shared" -> permutedTables = false;
      case "permuted" -> permutedTables = true;
      default -> throw t.error("ranking", "expected shared or permuted, got '" + ranking + "'");
    }
    permutedShare = t.number("permuted_share", permutedTables ? 1 : 0);
    if (!permutedTables && t.has("permuted_share")) {
      throw t.error("permuted_share", "applies to ranking: permuted only");
    }
    if (permutedTables && !(permutedShare > 0 && permutedShare <= 1)) {
      throw t.error("permuted_share", "must be in (0, 1], got " + permutedShare);
    }
    t.finish();

    ConfigNode c = root.child("context");
    String mode = c.string("mode");
    switch (mode) {
      case "variable" -> {
        fixedOrder = false;
        List<?> os = c.list("orders");
        if (os.isEmpty()) {
          throw c.error("orders", "needs at least one order");
        }
        orders = new int[os.size()];
        orderWeights = new double[os.size()];
        double x = c.number("order_weight_exponent");
        if (!Double.isFinite(x)) {
          throw c.error("order_weight_exponent", "must be a finite number, got " + x);
        }
        for (int i = 0; i < orders.length; i++) {
          double o = c.toNumber(os.get(i), c.key("orders") + "[" + i + "]");
          if (o < 0 || o != Math.rint(o)) {
            throw c.error("orders", "orders must be non-negative integers, got " + os.get(i));
          }
          orders[i] = (int) o;
          orderWeights[i] = Math.pow(i + 1, -x);
        }
      }
      case "fixed" -> {
        fixedOrder = true;
        orders = new int[] {c.count("order")};
        orderWeights = new double[] {1};
      }
      default -> throw c.error("mode", "expected variable or fixed, got '" + mode + "'");
    }
    c.finish();
    ConfigNode s = root.child("sentence");
    minLength = s.count("min_length");
    lengthSpread = s.count("length_spread");
    if (lengthSpread < 1) {
      throw s.error("length_spread", "must be at least 1 (lengths are min_length + Uniform{0..spread-1})");
    }
    if (minLength + lengthSpread > Short.MAX_VALUE) {
      throw s.error("length_spread", "sentences longer than " + Short.MAX_VALUE + " tokens are not supported");
    }
    s.finish();
    ConfigNode d = root.child("document");
    sentencesPerDocument = d.count("sentences");
    if (sentencesPerDocument < 1) {
      throw d.error("sentences", "must be at least 1");
    }
    d.finish();
    root.finish();
  }

  public int maxSentenceLength() {
    return minLength + lengthSpread - 1;
  }
}
