package org.arbor.grammar;

import java.util.Arrays;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentBuffer;
import org.arbor.corpus.DocumentSampler;
import org.arbor.random.Rng;

/**
 * Samples documents of a hierarchical PCFG: sections, paragraphs and sentences in a fixed layout,
 * each sentence derived top-down from the start symbol, each class slot filled from the ranking in
 * force. Accumulates ln P(tokens, derivation | latents) exactly as it draws.
 */
final class PcfgSampler implements DocumentSampler {
  /** PURPOSE tag of the random stream that draws sentences. */
  static final long PURPOSE = 0x53454E54L; // "SENT"

  private final GrammarSpec g;
  private final PcfgProcess.Tables t;
  private final int k;
  private final int contentTokens;
  private final DocumentBuffer out = new DocumentBuffer();
  private int[] stack = new int[64];
  private long latentSeed = Long.MIN_VALUE;
  private long latentBase = -1;
  private DocumentLatent latent;

  PcfgSampler(GrammarSpec g, PcfgProcess.Tables t) {
    this.g = g;
    this.t = t;
    this.k = g.classes.size();
    int content = 0;
    for (LexicalClass c : g.classes) {
      for (int id : c.members()) {
        content = Math.max(content, id + 1);
      }
    }
    this.contentTokens = content;
  }

  @Override
  public Document sample(long seed, long baseDocument, int repetition) {
    if (repetition < 0 || repetition >= g.repetitions) {
      throw new IllegalArgumentException("repetition " + repetition + " outside 0.." + (g.repetitions - 1));
    }
    if (latent == null || latentSeed != seed || latentBase != baseDocument) {
      latent = new DocumentLatent(g, contentTokens, seed, baseDocument); // repetitions reuse it
      latentSeed = seed;
      latentBase = baseDocument;
    }
    Rng rng = new Rng(seed, PURPOSE, Rng.key(baseDocument, repetition));
    out.clear();
    double logP = 0;
    int eos = g.boundaryToken(0);
    int eop = g.boundaryToken(1);
    int eosec = g.boundaryToken(2);
    int eod = g.boundaryToken(3);
    for (int s = 0; s < g.sections; s++) {
      for (int p = 0; p < g.paragraphsPerSection; p++) {
        for (int n = 0; n < g.sentencesPerParagraph; n++) {
          logP += sentence(rng, s, p, n);
          if (eos >= 0) {
            out.add(eos, g.boundaryCategory(0), 0, s, p, n, -1, 0);
          }
        }
        if (eop >= 0) {
          out.add(eop, g.boundaryCategory(1), 0, s, p, -1, -1, 0);
        }
      }
      if (eosec >= 0) {
        out.add(eosec, g.boundaryCategory(2), 0, s, -1, -1, -1, 0);
      }
    }
    if (eod >= 0) {
      out.add(eod, g.boundaryCategory(3), 0, -1, -1, -1, -1, 0);
    }
    return out.build(logP, true, false);
  }

  /** Derives one sentence; returns its log-probability. */
  private double sentence(Rng rng, int s, int p, int n) {
    double logP = 0;
    int sp = 0;
    stack[sp++] = g.start;
    int clauseNow = 0;
    int clauses = 0;
    while (sp > 0) {
      int sym = stack[--sp];
      if (sym < 0) { // end of a clause: restore the enclosing clause index
        clauseNow = -sym - 1;
        continue;
      }
      if (sym < k) {
        logP += slot(rng, sym, s, p, n, clauseNow);
        continue;
      }
      int a = sym - k;
      int choice = t.ruleChoice[a] == null ? 0 : t.ruleChoice[a].sample(rng);
      logP += t.ruleLogP[a][choice];
      int[] rhs = t.rhs[a][choice];
      if (sp + rhs.length + 1 > stack.length) {
        stack = Arrays.copyOf(stack, 2 * (sp + rhs.length + 1));
      }
      if (sym == g.clause) {
        stack[sp++] = -clauseNow - 1;
        clauseNow = ++clauses;
      }
      for (int i = rhs.length - 1; i >= 0; i--) {
        stack[sp++] = rhs[i];
      }
    }
    return logP;
  }

  /** Fills one slot of class c; returns ln P(token | slot, latents). */
  private double slot(Rng rng, int c, int s, int p, int n, int clauseNow) {
    LexicalClass lc = g.classes.get(c);
    if (lc.uniform()) {
      out.add(lc.members()[rng.nextInt(lc.size())], c, 0, s, p, n, clauseNow, 0);
      return t.uniformLogP[c];
    }
    int[] ranking = latent.ranking[s][c];
    int[] topic = latent.topic == null ? null : latent.topic[s][p][c];
    if (topic == null) {
      int r = t.zipf[c].sample(rng);
      out.add(ranking[r], c, r + 1, s, p, n, clauseNow, 0);
      return t.zipfLogP[c][r];
    }
    // Paragraph topic: a mixture of the topic (uniform) and the section's Zipf ranking.
    double w = g.latents.topicWeight();
    int token = rng.nextDouble() < w ? topic[rng.nextInt(topic.length)] : ranking[t.zipf[c].sample(rng)];
    int rank = latent.rankOf[s][c][token];
    boolean inTopic = false;
    for (int x : topic) {
      inTopic |= x == token;
    }
    out.add(token, c, rank, s, p, n, clauseNow, 0);
    return Math.log((inTopic ? w / topic.length : 0) + (1 - w) * t.zipfP[c][rank - 1]);
  }
}
