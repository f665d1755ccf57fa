package org.arbor.probe.fv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.arbor.grammar.GrammarSpec;
import org.arbor.grammar.LexicalClass;
import org.arbor.grammar.Rule;

/**
 * The tokens the in-context tasks are built from, in four roles named after the PCFG's clause
 * "C S V O": connectors, subjects, verbs and objects, in that cyclic order (the order the category
 * successor task uses), plus the token that separates demonstrations. Read from a grammar, the
 * roles are the classes of its clause rule and the separator is the sentence boundary; over a plain
 * id range (a model with no grammar, e.g. OLMo) four equal blocks of the range play the roles and
 * the separator is optional.
 *
 * @param classes member ids of the four roles in cycle order: connector, subject, verb, object
 * @param connector the fixed connector of the paper's task: the middle connector (950 in
 *     ukp-released, whose connectors are 900-999)
 * @param separator the token that ends each demonstration and opens each prompt, or -1 for none
 * @param fromGrammar whether the roles come from a grammar (tasks that need one are allowed)
 * @param source where the roles come from, for error messages
 */
public record TaskVocabulary(List<int[]> classes, int connector, int separator, boolean fromGrammar, String source) {
  public static final int CONNECTOR = 0;
  public static final int SUBJECT = 1;
  public static final int VERB = 2;
  public static final int OBJECT = 3;
  private static final List<String> ROLES = List.of("connector", "subject", "verb", "object");

  public TaskVocabulary {
    if (classes.size() != 4) {
      throw new IllegalArgumentException(source + ": expected 4 token roles, got " + classes.size());
    }
    for (int r = 0; r < 4; r++) {
      // Recall draws two distinct subjects, objects and verbs: every role needs two tokens.
      if (classes.get(r).length < 2) {
        throw new IllegalArgumentException(source + ": role " + ROLES.get(r) + " has fewer than 2 tokens");
      }
    }
    classes = List.copyOf(classes);
  }

  public int[] members(int role) {
    return classes.get(role);
  }

  /** Role that follows {@code role} in the clause's cyclic order C -> S -> V -> O -> C. */
  public static int successor(int role) {
    return (role + 1) % 4;
  }

  /**
   * Roles from a grammar's clause rule, which must be four lexical classes (connector first, as in
   * "CLAUSE -> C S V O"). Tokens a class shares with another class (paper-config's intersection)
   * are left out, so a token's role is unambiguous.
   */
  public static TaskVocabulary of(GrammarSpec g) {
    String where = g.file + " (grammar " + g.name + ")";
    if (g.clause < 0) {
      throw new IllegalArgumentException(where + ": key 'hierarchy.clause' is missing; the function-vector tasks read "
          + "their token roles from the clause rule C S V O");
    }
    Rule[] rules = g.rules.get(g.clause - g.classes.size());
    String clauseName = g.nonterminals.get(g.clause - g.classes.size());
    if (rules.length != 1 || rules[0].rhs().length != 4 || Arrays.stream(rules[0].rhs()).anyMatch(s -> s >= g.classes.size())) {
      throw new IllegalArgumentException(where + ": key 'rules." + clauseName + "': the function-vector tasks need one "
          + "production of four lexical classes (connector, subject, verb, object)");
    }
    int[] rhs = rules[0].rhs();
    List<int[]> roles = new ArrayList<>();
    for (int symbol : rhs) {
      Set<Integer> elsewhere = new HashSet<>();
      for (int c = 0; c < g.classes.size(); c++) {
        if (c != symbol) {
          for (int id : g.classes.get(c).members()) {
            elsewhere.add(id);
          }
        }
      }
      LexicalClass lc = g.classes.get(symbol);
      int[] own = Arrays.stream(lc.members()).filter(id -> !elsewhere.contains(id)).toArray();
      roles.add(own);
    }
    int[] connectors = roles.get(CONNECTOR);
    int boundary = g.boundaryToken(0);
    return new TaskVocabulary(roles, connectors.length == 0 ? -1 : connectors[connectors.length / 2], boundary, true, where);
  }

  /** Four equal blocks of the ids [first, last] (the remainder is unused); no grammar. */
  public static TaskVocabulary ofRange(int first, int last, int separator) {
    String where = "id range [" + first + ", " + last + "]";
    int block = (last - first + 1) / 4;
    if (first < 0 || block < 2) {
      throw new IllegalArgumentException(where + ": need first >= 0 and at least 8 ids");
    }
    if (separator >= first && separator <= last) {
      throw new IllegalArgumentException(where + ": the separator " + separator + " lies inside the range");
    }
    List<int[]> roles = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      int[] ids = new int[block];
      for (int i = 0; i < block; i++) {
        ids[i] = first + r * block + i;
      }
      roles.add(ids);
    }
    return new TaskVocabulary(roles, roles.get(CONNECTOR)[block / 2], separator, false, where);
  }

  /** Largest token id used (the model's vocabulary must hold it). */
  public int maxId() {
    int max = separator;
    for (int[] c : classes) {
      for (int id : c) {
        max = Math.max(max, id);
      }
    }
    return max;
  }
}
