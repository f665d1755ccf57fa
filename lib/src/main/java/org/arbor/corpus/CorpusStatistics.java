package org.arbor.corpus;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.arbor.random.Zipf;

/**
 * Counts over the documents of one corpus split, mergeable across tasks. Every count is an integer
 * (log-probabilities are summed in fixed point), so merging in any order gives the same report.
 * Sentences are as {@link Sentences} splits them.
 */
public final class CorpusStatistics implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double FIXED = 1 << 20;
  /** Bigram counts are kept for vocabularies up to this size (vocab^2 longs). */
  public static final int MAX_BIGRAM_VOCABULARY = 2048;

  private final int vocabulary;
  private final List<String> categories;
  long documents;
  long tokens;
  long logProbFixed;
  long scoredDocuments;
  long scoredTokens;
  long marginalFixed;
  long sentences;
  final TreeMap<Integer, Long> documentLengths = new TreeMap<>();
  final TreeMap<Integer, Long> sentenceLengths = new TreeMap<>();
  final TreeMap<String, Long> patterns = new TreeMap<>();
  final long[] firstCategory;
  final long[] categoryCounts;
  final long[] unigram;
  final long[] bigram;
  long[][] rankCounts;

  public CorpusStatistics(int vocabulary, List<String> categories) {
    this.vocabulary = vocabulary;
    this.categories = List.copyOf(categories);
    firstCategory = new long[categories.size()];
    categoryCounts = new long[categories.size()];
    unigram = new long[vocabulary];
    bigram = vocabulary <= MAX_BIGRAM_VOCABULARY ? new long[vocabulary * vocabulary] : null;
    rankCounts = new long[categories.size()][0];
  }

  /** Adds one document; rank, section and paragraph may be empty (N-gram documents). */
  public void add(int[] tok, short[] category, int[] rank, short[] section, short[] paragraph, short[] sentence,
      double logProb) {
    documents++;
    tokens += tok.length;
    logProbFixed += Math.round(logProb * FIXED);
    documentLengths.merge(tok.length, 1L, Long::sum);
    for (int i = 0; i < tok.length; i++) {
      unigram[tok[i]]++;
      categoryCounts[category[i]]++;
      if (bigram != null && i > 0) {
        bigram[tok[i - 1] * vocabulary + tok[i]]++;
      }
      if (rank.length > 0 && rank[i] > 0) {
        long[] rc = rankCounts[category[i]];
        if (rank[i] >= rc.length) {
          rc = rankCounts[category[i]] = Arrays.copyOf(rc, Math.max(rank[i] + 1, 2 * rc.length));
        }
        rc[rank[i]]++;
      }
    }
    Sentences.forEach(section, paragraph, sentence, (from, to) -> {
      sentences++;
      sentenceLengths.merge(to - from, 1L, Long::sum);
      firstCategory[category[from]]++;
      patterns.merge(pattern(category, from, to), 1L, Long::sum);
    });
  }

  /** Category names of a sentence, runs written NAME*k. */
  private String pattern(short[] category, int from, int to) {
    StringBuilder b = new StringBuilder();
    int i = from;
    while (i < to) {
      int j = i;
      while (j < to && category[j] == category[i]) {
        j++;
      }
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(categories.get(category[i]));
      if (j - i > 1) {
        b.append('*').append(j - i);
      }
      i = j;
    }
    return b.toString();
  }

  /** Adds the marginal log-probability of a scored document (the N-gram entropy floor). */
  public void addMarginal(double logProb, int documentTokens) {
    scoredDocuments++;
    scoredTokens += documentTokens;
    marginalFixed += Math.round(logProb * FIXED);
  }

  public CorpusStatistics merge(CorpusStatistics o) {
    documents += o.documents;
    tokens += o.tokens;
    logProbFixed += o.logProbFixed;
    scoredDocuments += o.scoredDocuments;
    scoredTokens += o.scoredTokens;
    marginalFixed += o.marginalFixed;
    sentences += o.sentences;
    o.documentLengths.forEach((k, v) -> documentLengths.merge(k, v, Long::sum));
    o.sentenceLengths.forEach((k, v) -> sentenceLengths.merge(k, v, Long::sum));
    o.patterns.forEach((k, v) -> patterns.merge(k, v, Long::sum));
    add(firstCategory, o.firstCategory);
    add(categoryCounts, o.categoryCounts);
    add(unigram, o.unigram);
    if (bigram != null) {
      add(bigram, o.bigram);
    }
    for (int c = 0; c < rankCounts.length; c++) {
      if (o.rankCounts[c].length > rankCounts[c].length) {
        rankCounts[c] = Arrays.copyOf(rankCounts[c], o.rankCounts[c].length);
      }
      add(rankCounts[c], o.rankCounts[c]);
    }
    return this;
  }

  private static void add(long[] into, long[] from) {
    for (int i = 0; i < from.length; i++) {
      into[i] += from[i];
    }
  }

  public long documents() {
    return documents;
  }

  public long tokens() {
    return tokens;
  }

  public long sentences() {
    return sentences;
  }

  public Map<Integer, Long> sentenceLengths() {
    return sentenceLengths;
  }

  public long firstCategoryCount(String category) {
    return firstCategory[categories.indexOf(category)];
  }

  public long[] unigram() {
    return unigram;
  }

  public long[] rankCounts(String category) {
    return rankCounts[categories.indexOf(category)];
  }

  /** The entropy rate given the latents: mean -ln P per token from the sampler's exact values. */
  public double entropyFloor() {
    return -(logProbFixed / FIXED) / tokens;
  }

  /** The marginal entropy rate on the scored documents (NaN if none were scored). */
  public double marginalEntropy() {
    return scoredTokens == 0 ? Double.NaN : -(marginalFixed / FIXED) / scoredTokens;
  }

  /** Plug-in unigram entropy in nats. */
  public double unigramEntropy() {
    return entropy(unigram, 0, unigram.length);
  }

  /** Plug-in conditional entropy H(t | previous t) in nats (biased low on small samples). */
  public double bigramEntropy() {
    if (bigram == null) {
      return Double.NaN;
    }
    double joint = 0;
    long total = 0;
    long[] prev = new long[vocabulary];
    for (int a = 0; a < vocabulary; a++) {
      for (int b = 0; b < vocabulary; b++) {
        prev[a] += bigram[a * vocabulary + b];
      }
      total += prev[a];
    }
    for (long c : bigram) {
      if (c > 0) {
        joint -= c * Math.log((double) c / total);
      }
    }
    double marginal = 0;
    for (long c : prev) {
      if (c > 0) {
        marginal -= c * Math.log((double) c / total);
      }
    }
    return (joint - marginal) / total;
  }

  private static double entropy(long[] counts, int from, int to) {
    long total = 0;
    for (int i = from; i < to; i++) {
      total += counts[i];
    }
    double h = 0;
    for (int i = from; i < to; i++) {
      if (counts[i] > 0) {
        double p = (double) counts[i] / total;
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  /** Maximum-likelihood Zipf exponent of rank counts (index = rank) over ranks 1..n. */
  public static double fitZipf(long[] counts, int n) {
    double sumLog = 0;
    long total = 0;
    for (int r = 1; r < counts.length; r++) {
      sumLog += counts[r] * Math.log(r);
      total += counts[r];
    }
    double lo = 0;
    double hi = 10;
    double phi = (Math.sqrt(5) - 1) / 2;
    for (int it = 0; it < 100; it++) { // golden section on the concave log-likelihood
      double a = hi - phi * (hi - lo);
      double b = lo + phi * (hi - lo);
      double la = -a * sumLog - total * Math.log(Zipf.harmonic(n, a));
      double lb = -b * sumLog - total * Math.log(Zipf.harmonic(n, b));
      if (la < lb) {
        lo = a;
      } else {
        hi = b;
      }
    }
    return (lo + hi) / 2;
  }

  /**
   * The report of this split. classSizes gives, per ranked category, its number of ranks and its
   * configured Zipf exponent, for the analytic comparison.
   */
  public Map<String, Object> report(Map<String, double[]> classSizes) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("documents", documents);
    r.put("tokens", tokens);
    r.put("sentences", sentences);
    r.put("mean_document_length", (double) tokens / documents);
    r.put("mean_sentence_length", mean(sentenceLengths));
    r.put("document_length_share", shares(documentLengths, documents));
    r.put("sentence_length_share", shares(sentenceLengths, sentences));
    Map<String, Object> first = new LinkedHashMap<>();
    Map<String, Object> cats = new LinkedHashMap<>();
    for (int c = 0; c < categories.size(); c++) {
      first.put(categories.get(c), sentences == 0 ? 0.0 : (double) firstCategory[c] / sentences);
      cats.put(categories.get(c), tokens == 0 ? 0.0 : (double) categoryCounts[c] / tokens);
    }
    r.put("sentence_first_category_share", first);
    Integer[] ids = new Integer[unigram.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    Arrays.sort(ids, (a, b) -> unigram[a] == unigram[b] ? Integer.compare(a, b) : Long.compare(unigram[b], unigram[a]));
    Map<String, Object> topTokens = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(10, ids.length); i++) {
      topTokens.put(String.valueOf(ids[i]), tokens == 0 ? 0.0 : (double) unigram[ids[i]] / tokens);
    }
    r.put("top_token_share", topTokens);
    r.put("category_share", cats);
    List<Map.Entry<String, Long>> top = new ArrayList<>(patterns.entrySet());
    top.sort((a, b) -> b.getValue().equals(a.getValue()) ? a.getKey().compareTo(b.getKey()) : Long.compare(b.getValue(), a.getValue()));
    Map<String, Object> pat = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : top.subList(0, Math.min(20, top.size()))) {
      pat.put(e.getKey(), (double) e.getValue() / sentences);
    }
    r.put("sentence_pattern_share_top20", pat);
    Map<String, Object> zipf = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : classSizes.entrySet()) {
      long[] rc = rankCounts[categories.indexOf(e.getKey())];
      int n = (int) e.getValue()[0];
      double s = e.getValue()[1];
      long total = Arrays.stream(rc).sum();
      Map<String, Object> z = new LinkedHashMap<>();
      z.put("ranks", n);
      z.put("configured_exponent", s);
      z.put("fitted_exponent", total == 0 ? Double.NaN : fitZipf(rc, n));
      z.put("rank1_share", total == 0 ? Double.NaN : (double) (rc.length > 1 ? rc[1] : 0) / total);
      z.put("rank1_share_analytic", 1 / Zipf.harmonic(n, s));
      z.put("rank_entropy_plugin", entropy(rc, 1, rc.length));
      z.put("rank_entropy_analytic", Zipf.entropy(n, s));
      zipf.put(e.getKey(), z);
    }
    r.put("zipf_by_class", zipf);
    Map<String, Object> ent = new LinkedHashMap<>();
    ent.put("floor_given_latents_nats_per_token", entropyFloor());
    ent.put("marginal_floor_nats_per_token", marginalEntropy());
    ent.put("marginal_scored_documents", scoredDocuments);
    ent.put("unigram_plugin_nats_per_token", unigramEntropy());
    ent.put("bigram_conditional_plugin_nats_per_token", bigramEntropy());
    r.put("entropy", ent);
    return r;
  }

  private static double mean(TreeMap<Integer, Long> hist) {
    double s = 0;
    long n = 0;
    for (Map.Entry<Integer, Long> e : hist.entrySet()) {
      s += (double) e.getKey() * e.getValue();
      n += e.getValue();
    }
    return n == 0 ? Double.NaN : s / n;
  }

  private static Map<String, Object> shares(TreeMap<Integer, Long> hist, long total) {
    Map<String, Object> m = new LinkedHashMap<>();
    hist.forEach((k, v) -> m.put(String.valueOf(k), (double) v / total));
    return m;
  }
}
