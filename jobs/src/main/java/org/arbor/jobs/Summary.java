package org.arbor.jobs;

import java.util.Map;

/** A few lines a person reads after a stats run; the full report is in stats.json. */
final class Summary {
  private Summary() {}

  @SuppressWarnings("unchecked")
  static String of(Map<String, Object> report) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("corpus %s (%s, process %s)%n", report.get("corpus"), report.get("kind"), report.get("process")));
    Map<String, Object> splits = (Map<String, Object>) report.get("splits");
    for (Map.Entry<String, Object> e : splits.entrySet()) {
      Map<String, Object> s = (Map<String, Object>) e.getValue();
      Map<String, Object> ent = (Map<String, Object>) s.get("entropy");
      b.append(String.format("  %-5s %,d documents, %,d tokens, %,d sentences (mean %.2f tokens)%n", e.getKey(),
          s.get("documents"), s.get("tokens"), s.get("sentences"), (Double) s.get("mean_sentence_length")));
      Map<String, Object> lengths = (Map<String, Object>) s.get("sentence_length_share");
      if (lengths.size() <= 12) {
        b.append(String.format("        sentence lengths %s%n", lengths.toString().replaceAll("(\\.\\d{4})\\d+", "$1")));
      } else {
        b.append(String.format("        sentence lengths %s..%s tokens (%d distinct)%n", lengths.keySet().iterator().next(),
            lengths.keySet().stream().reduce((x, y) -> y).orElse(""), lengths.size()));
      }
      b.append(String.format("        most frequent tokens %s%n", s.get("top_token_share").toString().replaceAll("(\\.\\d{4})\\d+", "$1")));
      b.append(String.format("        entropy floor %.4f nats/token given latents, marginal %.4f, unigram %.4f, bigram %.4f%n",
          ent.get("floor_given_latents_nats_per_token"), ent.get("marginal_floor_nats_per_token"),
          ent.get("unigram_plugin_nats_per_token"), ent.get("bigram_conditional_plugin_nats_per_token")));
      Map<String, Object> zipf = (Map<String, Object>) s.get("zipf_by_class");
      for (Map.Entry<String, Object> z : zipf.entrySet()) {
        Map<String, Object> zz = (Map<String, Object>) z.getValue();
        b.append(String.format("        class %s: Zipf exponent fitted %.3f (configured %.3f), P(rank 1) %.4f (analytic %.4f)%n",
            z.getKey(), zz.get("fitted_exponent"), zz.get("configured_exponent"), zz.get("rank1_share"), zz.get("rank1_share_analytic")));
      }
    }
    Map<String, Object> o = (Map<String, Object>) report.get("train_test_overlap");
    b.append(String.format("  test sentences also in train: %.4f (distinct: %.4f)",
        o.get("test_sentences_seen_in_train_share"), o.get("distinct_test_sentences_seen_in_train_share")));
    return b.toString();
  }
}
