package org.arbor.grammar;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.arbor.corpus.DocumentSampler;
import org.arbor.corpus.DocumentSource;
import org.arbor.corpus.Vocabulary;
import org.arbor.random.AliasTable;
import org.arbor.random.Zipf;

/** A hierarchical PCFG as a document source; sampling tables are built once per JVM copy. */
public final class PcfgProcess implements DocumentSource {
  private static final long serialVersionUID = 1L;
  final GrammarSpec grammar;
  private transient volatile Tables tables;

  public PcfgProcess(GrammarSpec grammar) {
    this.grammar = grammar;
  }

  public static PcfgProcess load(Path file) {
    return new PcfgProcess(GrammarSpec.load(file));
  }

  public GrammarSpec grammar() {
    return grammar;
  }

  /** Read-only sampling tables: Zipf alias tables per class and rule choices per nonterminal. */
  static final class Tables {
    final AliasTable[] zipf;
    final double[][] zipfLogP;
    final double[][] zipfP;
    final double[] uniformLogP;
    final AliasTable[] ruleChoice;
    final int[][][] rhs;
    /** tokenClasses[token] = the classes a content token belongs to, in class order. */
    final int[][] tokenClasses;
    final Inside inside;

    Tables(GrammarSpec g) {
      int k = g.classes.size();
      zipf = new AliasTable[k];
      zipfLogP = new double[k][];
      zipfP = new double[k][];
      uniformLogP = new double[k];
      for (int c = 0; c < k; c++) {
        LexicalClass lc = g.classes.get(c);
        uniformLogP[c] = -Math.log(lc.size());
        if (!lc.uniform()) {
          zipf[c] = new AliasTable(Zipf.weights(lc.size(), lc.zipfExponent()));
          zipfLogP[c] = Zipf.logProbabilities(lc.size(), lc.zipfExponent());
          zipfP[c] = new double[lc.size()];
          for (int r = 0; r < lc.size(); r++) {
            zipfP[c][r] = Math.exp(zipfLogP[c][r]);
          }
        }
      }
      int m = g.nonterminals.size();
      ruleChoice = new AliasTable[m];
      rhs = new int[m][][];
      for (int a = 0; a < m; a++) {
        Rule[] rules = g.rules.get(a);
        double[] w = new double[rules.length];
        rhs[a] = new int[rules.length][];
        for (int i = 0; i < rules.length; i++) {
          w[i] = rules[i].probability();
          rhs[a][i] = rules[i].rhs();
        }
        ruleChoice[a] = rules.length > 1 ? new AliasTable(w) : null;
      }
      int[] count = new int[g.vocabulary.size()];
      for (LexicalClass lc : g.classes) {
        for (int id : lc.members()) {
          count[id]++;
        }
      }
      tokenClasses = new int[count.length][];
      for (int id = 0; id < count.length; id++) {
        tokenClasses[id] = new int[count[id]];
        count[id] = 0;
      }
      for (int c = 0; c < k; c++) {
        for (int id : g.classes.get(c).members()) {
          tokenClasses[id][count[id]++] = c;
        }
      }
      inside = new Inside(g);
    }
  }

  Tables tables() {
    Tables t = tables;
    if (t == null) {
      synchronized (this) {
        if (tables == null) {
          tables = new Tables(grammar);
        }
        t = tables;
      }
    }
    return t;
  }

  @Override
  public DocumentSampler newSampler() {
    return new PcfgSampler(grammar, tables());
  }

  @Override
  public String kind() {
    return "pcfg";
  }

  @Override
  public String name() {
    return grammar.name;
  }

  @Override
  public Vocabulary vocabulary() {
    return grammar.vocabulary;
  }

  @Override
  public List<String> categories() {
    return grammar.categories;
  }

  @Override
  public int repetitions() {
    return grammar.repetitions;
  }

  @Override
  public Map<String, Object> config() {
    return grammar.config;
  }

  @Override
  public String file() {
    return grammar.file;
  }
}
