package org.arbor.grammar;

import java.util.Arrays;
import org.arbor.corpus.DocumentBuffer;
import org.arbor.corpus.DocumentSampler;
import org.arbor.random.Rng;

/**
 * Samples documents of a hierarchical PCFG: sections, paragraphs and sentences in a fixed layout,
 * each sentence derived top-down from the start symbol, each class slot filled from the ranking in
 * force. The document's log-probability is ln P(tokens | latents): each sentence's probability is
 * summed over all derivations that yield its tokens ({@link Inside}), since tokens shared by
 * several classes make derivations ambiguous. Sentences whose tokens each belong to one class only
 * have their class sequence fixed by the tokens, so the inside probability of that class sequence
 * is cached and multiplied by the slots' token probabilities.
 */
final class PcfgSampler implements DocumentSampler {
  /** PURPOSE tag of the random stream that draws sentences. */
  static final long PURPOSE = 0x53454E54L; // "SENT"

  private final GrammarSpec g;
  private final PcfgProcess.Tables t;
  private final int k;
  /** The buffer being sampled into and where the current document starts in it. */
  private DocumentBuffer out;
  private int start;
  private final Inside.Chart chart;
  private final ClassSequenceCache classSequenceLogP = new ClassSequenceCache();
  private int[] stack = new int[64];
  private double[] slotLogP = new double[64];
  private double[][] tokenP = new double[0][];
  private long latentSeed = Long.MIN_VALUE;
  private long latentBase = -1;
  private final DocumentLatent latent;
  /** The document's sentence stream, reseeded per document (no allocation per document). */
  private final Rng sentenceStream = new Rng(0, PURPOSE, 0);

  PcfgSampler(GrammarSpec g, PcfgProcess.Tables t) {
    this.g = g;
    this.t = t;
    this.k = g.classes.size();
    this.chart = t.inside.newChart();
    this.latent = new DocumentLatent(g);
  }

  /** Every column but the N-gram order. */
  private static final int COLUMNS = ((1 << DocumentBuffer.COLUMNS) - 1) & ~DocumentBuffer.bit(DocumentBuffer.ORDER);

  @Override
  public int columns() {
    return COLUMNS;
  }

  @Override
  public double sampleInto(long seed, long baseDocument, int repetition, DocumentBuffer out) {
    if (repetition < 0 || repetition >= g.repetitions) {
      throw new IllegalArgumentException("repetition " + repetition + " outside 0.." + (g.repetitions - 1));
    }
    if (latentSeed != seed || latentBase != baseDocument) {
      latent.reset(seed, baseDocument); // consecutive repetitions of a base document reuse it
      latentSeed = seed;
      latentBase = baseDocument;
    }
    Rng rng = sentenceStream;
    rng.reseed(seed, PURPOSE, Rng.key(baseDocument, repetition));
    this.out = out;
    this.start = out.length();
    double logP = 0;
    int eos = g.boundaryToken(0);
    int eop = g.boundaryToken(1);
    int eosec = g.boundaryToken(2);
    int eod = g.boundaryToken(3);
    for (int s = 0; s < g.sections; s++) {
      for (int p = 0; p < g.paragraphsPerSection; p++) {
        for (int n = 0; n < g.sentencesPerParagraph; n++) {
          int from = out.length() - start;
          sentence(rng, s, p, n);
          logP += sentenceLogP(from, s, p);
          out.add(eos, g.boundaryCategory(0), 0, s, p, n, -1);
        }
        if (eop >= 0) {
          out.add(eop, g.boundaryCategory(1), 0, s, p, -1, -1);
        }
      }
      if (eosec >= 0) {
        out.add(eosec, g.boundaryCategory(2), 0, s, -1, -1, -1);
      }
    }
    if (eod >= 0) {
      out.add(eod, g.boundaryCategory(3), 0, -1, -1, -1, -1);
    }
    this.out = null;
    return logP;
  }

  /** Derives one sentence into the buffer, recording each slot's ln P(token | class, latents). */
  private void sentence(Rng rng, int s, int p, int n) {
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
        int at = out.length() - start;
        if (at >= slotLogP.length) {
          slotLogP = Arrays.copyOf(slotLogP, 2 * at + 1);
        }
        slotLogP[at] = slot(rng, sym, s, p, n, clauseNow);
        continue;
      }
      int a = sym - k;
      int choice = t.ruleChoice[a] == null ? 0 : t.ruleChoice[a].sample(rng);
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
  }

  /** ln P(tokens of the sentence that starts at document offset from | latents). */
  private double sentenceLogP(int from, int s, int p) {
    int n = out.length() - start - from;
    boolean unique = true;
    for (int i = 0; i < n && unique; i++) {
      unique = t.tokenClasses[token(from + i)].length == 1;
    }
    if (unique) {
      // The tokens fix the class sequence: P = P(class sequence) x product of slot probabilities.
      // The sequence is cached by its base-(k+1) digits while they fit in a long.
      double slots = 0;
      long code = 0;
      boolean fits = true;
      for (int i = n - 1; i >= 0; i--) {
        slots += slotLogP[from + i];
        int c = t.tokenClasses[token(from + i)][0];
        fits &= code <= (Long.MAX_VALUE - k - 1) / (k + 1);
        code = code * (k + 1) + c + 1;
      }
      if (!fits) { // too long for a code (never in the presets)
        return classSequenceLogP(from, n) + slots;
      }
      double cached = classSequenceLogP.get(code);
      if (Double.isNaN(cached)) {
        cached = classSequenceLogP(from, n);
        classSequenceLogP.put(code, cached);
      }
      return cached + slots;
    }
    double[][] tp = tokenMatrix(n);
    for (int i = 0; i < n; i++) {
      int token = token(from + i);
      for (int c : t.tokenClasses[token]) {
        tp[i][c] = tokenProbability(c, token, s, p);
      }
    }
    return chart.logProbability(tp, n);
  }

  /** Token at offset i of the current document. */
  private int token(int i) {
    return out.token(start + i);
  }

  /** ln P(the class sequence of the n tokens from document offset from), each token in one class only. */
  private double classSequenceLogP(int from, int n) {
    double[][] tp = tokenMatrix(n);
    for (int i = 0; i < n; i++) {
      tp[i][t.tokenClasses[token(from + i)][0]] = 1;
    }
    return chart.logProbability(tp, n);
  }

  /** A zeroed n x k matrix of token probabilities (reused). */
  private double[][] tokenMatrix(int n) {
    if (tokenP.length < n) {
      tokenP = new double[Math.max(n, 2 * tokenP.length)][k];
    }
    for (int i = 0; i < n; i++) {
      Arrays.fill(tokenP[i], 0);
    }
    return tokenP;
  }

  /** P(token | a slot of class c in section s, paragraph p, latents); the token is a member of c. */
  private double tokenProbability(int c, int token, int s, int p) {
    LexicalClass lc = g.classes.get(c);
    if (lc.uniform()) {
      return 1.0 / lc.size();
    }
    double zipf = t.zipfP[c][latent.rank(g, s, c, token) - 1];
    int[] topic = latent.topic == null ? null : latent.topic[s][p][c];
    if (topic == null) {
      return zipf;
    }
    double w = g.latents.topicWeight();
    boolean inTopic = false;
    for (int x : topic) {
      inTopic |= x == token;
    }
    return (inTopic ? w / topic.length : 0) + (1 - w) * zipf;
  }

  /** Fills one slot of class c; returns ln P(token | slot of class c, latents). */
  private double slot(Rng rng, int c, int s, int p, int n, int clauseNow) {
    LexicalClass lc = g.classes.get(c);
    if (lc.uniform()) {
      out.add(lc.members()[rng.nextInt(lc.size())], c, 0, s, p, n, clauseNow);
      return t.uniformLogP[c];
    }
    int[] topic = latent.topic == null ? null : latent.topic[s][p][c];
    if (topic == null) {
      int r = t.zipf[c].sample(rng);
      out.add(latent.token(s, c, r), c, r + 1, s, p, n, clauseNow);
      return t.zipfLogP[c][r];
    }
    // Paragraph topic: a mixture of the topic (uniform) and the section's Zipf ranking.
    double w = g.latents.topicWeight();
    int token = rng.nextDouble() < w ? topic[rng.nextInt(topic.length)] : latent.token(s, c, t.zipf[c].sample(rng));
    out.add(token, c, latent.rank(g, s, c, token), s, p, n, clauseNow);
    return Math.log(tokenProbability(c, token, s, p));
  }
}
