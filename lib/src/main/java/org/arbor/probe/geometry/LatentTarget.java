package org.arbor.probe.geometry;

import java.util.Arrays;
import java.util.Locale;
import org.arbor.corpus.Document;
import org.arbor.corpus.Sentences;

/**
 * What a linear probe reads out of the residual stream: one latent annotation of the generating
 * process per token. Integer targets are classes, capped at {@code cap} (values at or above it form
 * one class "cap or more"), so that a long document cannot make a class of every index. A token
 * without the annotation (a boundary outside every clause, an unranked connector) gets NaN and is
 * left out of that target.
 */
public enum LatentTarget {
  /** The token's category (S, V, O, C, EOS for the released grammar; W, EOS for N-gram). */
  CATEGORY(false),
  /** Token index within its sentence, 0 at the sentence's first token (its boundary token included). */
  POSITION(false),
  /** Sentence index in its paragraph (PCFG) or in the document (N-gram). */
  SENTENCE(false),
  /** Clause index in its sentence, 0 = main clause. */
  CLAUSE(false),
  /** Paragraph index in its section. */
  PARAGRAPH(false),
  /** Section index in the document. */
  SECTION(false),
  /** ln of the token's Zipf rank under the ranking in force (document permutation, section re-ranking). */
  RANK(true),
  /** floor(log2 rank): bucket b holds ranks 2^b .. 2^(b+1) - 1. */
  RANK_BUCKET(false);

  private final boolean numeric;

  LatentTarget(boolean numeric) {
    this.numeric = numeric;
  }

  /** True for a regression target (scored by R^2), false for a class (scored by accuracy). */
  public boolean numeric() {
    return numeric;
  }

  /** The name in settings and result keys: lower case. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static LatentTarget parse(String name) {
    for (LatentTarget t : values()) {
      if (t.key().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown target '" + name + "' (expected one of "
        + Arrays.stream(values()).map(LatentTarget::key).toList() + ")");
  }

  /**
   * The target of the document's first {@code length} tokens; null when the process does not annotate
   * it (an empty array), NaN for tokens without a value.
   */
  public double[] values(Document d, int length, int cap) {
    double[] out = new double[length];
    Arrays.fill(out, Double.NaN);
    switch (this) {
      case CATEGORY -> {
        return ints(d.category(), length, Integer.MAX_VALUE);
      }
      case POSITION -> {
        if (d.sentence().length == 0) {
          return null;
        }
        Sentences.forEach(d.section(), d.paragraph(), d.sentence(), (from, to) -> {
          for (int i = from; i < Math.min(to, length); i++) {
            out[i] = Math.min(i - from, cap);
          }
        });
        return out;
      }
      case SENTENCE -> {
        return ints(d.sentence(), length, cap);
      }
      case CLAUSE -> {
        return ints(d.clause(), length, cap);
      }
      case PARAGRAPH -> {
        return ints(d.paragraph(), length, cap);
      }
      case SECTION -> {
        return ints(d.section(), length, cap);
      }
      case RANK, RANK_BUCKET -> {
        int[] rank = d.rank();
        if (rank.length == 0) {
          return null;
        }
        for (int i = 0; i < length; i++) {
          if (rank[i] > 0) {
            out[i] = this == RANK ? Math.log(rank[i]) : 31 - Integer.numberOfLeadingZeros(rank[i]);
          }
        }
        return out;
      }
      default -> throw new IllegalStateException(name());
    }
  }

  private static double[] ints(short[] a, int length, int cap) {
    if (a.length == 0) {
      return null;
    }
    double[] out = new double[length];
    for (int i = 0; i < length; i++) {
      out[i] = a[i] < 0 ? Double.NaN : Math.min(a[i], cap);
    }
    return out;
  }
}
