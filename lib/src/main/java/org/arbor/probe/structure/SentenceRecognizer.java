package org.arbor.probe.structure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.arbor.grammar.GrammarSpec;
import org.arbor.grammar.LexicalClass;
import org.arbor.grammar.Rule;

/**
 * Whether a grammar's sentence nonterminal derives a token sequence: an Earley recognizer over the
 * grammar's rules of positive probability, with the nullable-prediction step of Aycock and Horspool
 * (2002) for empty rules. A token matches a class slot when the class holds it; a token shared by
 * several classes (lexicon.intersection) may fill a slot of any of them, so ambiguous sentences are
 * recognised. Tokens of no class (boundaries, specials) match nothing. Not thread-safe.
 */
final class SentenceRecognizer {
  private final int classes;
  private final int start;
  private final int[] owner;
  private final int[][] rhs;
  private final int[][] rulesOf;
  private final boolean[] nullable;
  /** classesOf[token]: the classes holding the token (empty for tokens of none). */
  private final int[][] classesOf;

  SentenceRecognizer(GrammarSpec g) {
    classes = g.classes.size();
    start = g.start - classes;
    List<int[]> rhsList = new ArrayList<>();
    List<Integer> ownerList = new ArrayList<>();
    int m = g.nonterminals.size();
    List<List<Integer>> byOwner = new ArrayList<>();
    for (int a = 0; a < m; a++) {
      byOwner.add(new ArrayList<>());
      for (Rule r : g.rules.get(a)) {
        if (r.probability() > 0) {
          byOwner.get(a).add(rhsList.size());
          rhsList.add(r.rhs());
          ownerList.add(a);
        }
      }
    }
    rhs = rhsList.toArray(new int[0][]);
    owner = ownerList.stream().mapToInt(Integer::intValue).toArray();
    rulesOf = new int[m][];
    for (int a = 0; a < m; a++) {
      rulesOf[a] = byOwner.get(a).stream().mapToInt(Integer::intValue).toArray();
    }
    nullable = new boolean[m];
    for (boolean changed = true; changed; ) {
      changed = false;
      for (int r = 0; r < rhs.length; r++) {
        if (!nullable[owner[r]] && allNullable(rhs[r])) {
          nullable[owner[r]] = true;
          changed = true;
        }
      }
    }
    int size = g.vocabulary.size();
    List<List<Integer>> of = new ArrayList<>();
    for (int t = 0; t < size; t++) {
      of.add(new ArrayList<>());
    }
    for (int c = 0; c < classes; c++) {
      LexicalClass lc = g.classes.get(c);
      for (int t : lc.members()) {
        of.get(t).add(c);
      }
    }
    classesOf = new int[size][];
    for (int t = 0; t < size; t++) {
      classesOf[t] = of.get(t).stream().mapToInt(Integer::intValue).toArray();
    }
  }

  private boolean allNullable(int[] symbols) {
    for (int s : symbols) {
      if (s < classes || !nullable[s - classes]) {
        return false;
      }
    }
    return true;
  }

  private boolean inClass(int token, int c) {
    if (token < 0 || token >= classesOf.length) {
      return false;
    }
    for (int x : classesOf[token]) {
      if (x == c) {
        return true;
      }
    }
    return false;
  }

  /** An Earley item: rule, dot position and origin packed into a long. */
  private static long item(int rule, int dot, int origin) {
    return ((long) rule << 40) | ((long) dot << 20) | origin;
  }

  /** True if the sentence nonterminal derives exactly tokens[from, to). */
  boolean derives(int[] tokens, int from, int to) {
    int n = to - from;
    List<List<Long>> sets = new ArrayList<>();
    List<Set<Long>> seen = new ArrayList<>();
    for (int i = 0; i <= n; i++) {
      sets.add(new ArrayList<>());
      seen.add(new HashSet<>());
    }
    for (int r : rulesOf[start]) {
      add(sets, seen, 0, item(r, 0, 0));
    }
    for (int i = 0; i <= n; i++) {
      List<Long> set = sets.get(i);
      for (int idx = 0; idx < set.size(); idx++) {
        long it = set.get(idx);
        int rule = (int) (it >>> 40);
        int dot = (int) ((it >>> 20) & 0xFFFFF);
        int origin = (int) (it & 0xFFFFF);
        if (dot < rhs[rule].length) {
          int sym = rhs[rule][dot];
          if (sym < classes) {
            if (i < n && inClass(tokens[from + i], sym)) {
              add(sets, seen, i + 1, item(rule, dot + 1, origin));
            }
          } else {
            int a = sym - classes;
            for (int r : rulesOf[a]) {
              add(sets, seen, i, item(r, 0, i));
            }
            if (nullable[a]) {
              add(sets, seen, i, item(rule, dot + 1, origin));
            }
          }
        } else {
          int a = owner[rule];
          List<Long> waiting = sets.get(origin);
          for (int w = 0, size = waiting.size(); w < size; w++) {
            long x = waiting.get(w);
            int xr = (int) (x >>> 40);
            int xd = (int) ((x >>> 20) & 0xFFFFF);
            if (xd < rhs[xr].length && rhs[xr][xd] == a + classes) {
              add(sets, seen, i, item(xr, xd + 1, (int) (x & 0xFFFFF)));
            }
          }
        }
      }
    }
    for (long it : sets.get(n)) {
      int rule = (int) (it >>> 40);
      if (owner[rule] == start && (it & 0xFFFFF) == 0 && ((it >>> 20) & 0xFFFFF) == rhs[rule].length) {
        return true;
      }
    }
    return false;
  }

  private static void add(List<List<Long>> sets, List<Set<Long>> seen, int i, long it) {
    if (seen.get(i).add(it)) {
      sets.get(i).add(it);
    }
  }
}
