package org.arbor.grammar;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arbor.config.ConfigException;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.Vocabulary;

/**
 * A hierarchical PCFG read from YAML (conf/grammars/*.yaml) and validated: lexical classes over
 * token ids, weighted sentence rules, the document hierarchy (sections, paragraphs, sentences,
 * clauses), the latent variables each level draws, and the boundary tokens each level emits. The
 * keys are documented in conf/grammars/ukp-released.yaml and paper-config.yaml.
 */
public final class GrammarSpec implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Hierarchy levels that may end with a boundary token, innermost first. */
  public static final List<String> BOUNDARY_LEVELS = List.of("sentence", "paragraph", "section", "document");

  public final String name;
  public final String file;
  public final List<LexicalClass> classes;
  public final List<String> nonterminals;
  /** rules.get(k) are the productions of nonterminal k (symbol classes.size() + k). */
  public final List<Rule[]> rules;
  public final int start;
  /** Symbol whose every expansion opens a new clause, or -1. */
  public final int clause;
  public final int sections;
  public final int paragraphsPerSection;
  public final int sentencesPerParagraph;
  public final int repetitions;
  /** Boundary token name per level of {@link #BOUNDARY_LEVELS}, null where the level emits none. */
  public final String[] boundaries;
  public final Latents latents;
  public final Vocabulary vocabulary;
  /** Category names by code: the classes, then the boundary tokens' categories. */
  public final List<String> categories;
  /** Expected number of class slots in one sentence (finite by validation). */
  public final double expectedSentenceSlots;
  public final Map<String, Object> config;

  /** The latent variables of the document, section and paragraph levels. */
  public record Latents(
      boolean[] documentRerank,
      boolean[] sectionRerank,
      double sectionFraction,
      boolean[] paragraphTopic,
      int topicSize,
      double topicWeight)
      implements Serializable {}

  public static GrammarSpec load(Path file) {
    return new GrammarSpec(ConfigNode.load(file));
  }

  public GrammarSpec(ConfigNode root) {
    file = root.file();
    config = root.raw();
    String kind = root.string("kind");
    if (!kind.equals("pcfg")) {
      throw root.error("kind", "expected 'pcfg' for a grammar, got '" + kind + "'");
    }
    name = root.string("name");
    ConfigNode lexicon = root.child("lexicon");
    classes = parseClasses(lexicon);
    String prefix = lexicon.string("token_prefix", "t");
    lexicon.finish();
    int contentTokens = 0;
    for (LexicalClass c : classes) {
      for (int id : c.members()) {
        contentTokens = Math.max(contentTokens, id + 1);
      }
    }

    ConfigNode bnode = root.childOrEmpty("boundaries");
    boundaries = new String[BOUNDARY_LEVELS.size()];
    List<String> specials = new ArrayList<>();
    List<String> cats = new ArrayList<>();
    for (LexicalClass c : classes) {
      cats.add(c.name());
    }
    for (int i = 0; i < boundaries.length; i++) {
      if (bnode.has(BOUNDARY_LEVELS.get(i))) {
        boundaries[i] = bnode.string(BOUNDARY_LEVELS.get(i));
        if (specials.contains(boundaries[i])) {
          throw bnode.error(BOUNDARY_LEVELS.get(i), "token " + boundaries[i] + " is already the boundary of another level");
        }
        specials.add(boundaries[i]);
        cats.add(boundaries[i].replaceAll("[\\[\\]]", ""));
      }
    }
    if (boundaries[0] == null) {
      // Without it the sentences of a document are not observable, and ln P(tokens | latents)
      // would have to sum over every way to cut the document into sentences.
      throw new ConfigException(file, bnode.key("sentence"), "missing (required): every sentence ends with a boundary token");
    }
    bnode.finish();
    for (String s : root.stringList("specials")) {
      if (specials.contains(s)) {
        throw root.error("specials", "token " + s + " is listed twice");
      }
      specials.add(s);
    }
    for (String s : specials) {
      if (s.startsWith(prefix) && s.substring(prefix.length()).matches("\\d+")) {
        throw root.error("specials", "token " + s + " collides with content token names " + prefix + "N");
      }
    }
    vocabulary = new Vocabulary(prefix, 0, contentTokens, specials);
    categories = List.copyOf(cats);

    ConfigNode rnode = root.child("rules");
    nonterminals = new ArrayList<>(rnode.keys());
    if (nonterminals.isEmpty()) {
      throw root.error("rules", "no nonterminals defined");
    }
    rules = new ArrayList<>();
    for (String nt : nonterminals) {
      if (classIndex(nt) >= 0) {
        throw rnode.error(nt, "'" + nt + "' is a lexical class and cannot have rules");
      }
    }
    for (String nt : nonterminals) {
      rules.add(parseRules(rnode, nt));
    }
    start = nonterminalSymbol(root, "start", root.string("start"));

    ConfigNode h = root.child("hierarchy");
    sections = annotated(h, "sections");
    paragraphsPerSection = annotated(h, "paragraphs_per_section");
    sentencesPerParagraph = annotated(h, "sentences_per_paragraph");
    repetitions = positive(h, "repetitions");
    clause = h.has("clause") ? nonterminalSymbol(h, "clause", h.string("clause")) : -1;
    h.finish();

    latents = parseLatents(root.childOrEmpty("latents"));
    checkReachable(root);
    expectedSentenceSlots = ExpectedLength.slots(this, root);
    root.finish();
  }

  private static int positive(ConfigNode n, String key) {
    int v = n.count(key);
    if (v == 0) {
      throw n.error(key, "must be at least 1");
    }
    return v;
  }

  /** A positive count that is stored as a per-token index in a Document's short arrays. */
  private static int annotated(ConfigNode n, String key) {
    int v = positive(n, key);
    if (v > Short.MAX_VALUE) {
      throw n.error(key, "at most " + Short.MAX_VALUE + " (documents store the index as a short), got " + v);
    }
    return v;
  }

  private List<LexicalClass> parseClasses(ConfigNode lexicon) {
    int size = lexicon.has("size") ? lexicon.count("size") : -1;
    double defaultZipf = lexicon.number("zipf_exponent", 1.0);
    ConfigNode cnode = lexicon.child("classes");
    List<String> names = cnode.keys();
    if (names.isEmpty()) {
      throw lexicon.error("classes", "no lexical classes defined");
    }
    List<int[]> members = new ArrayList<>();
    int next = 0;
    List<LexicalClass> out = new ArrayList<>();
    List<ConfigNode> nodes = new ArrayList<>();
    for (String n : names) {
      if (!n.matches("[A-Za-z][A-Za-z0-9_]*")) {
        throw cnode.error(n, "class names must be identifiers");
      }
      ConfigNode c = cnode.child(n);
      nodes.add(c);
      int lo;
      int hi;
      int ways = (c.has("ids") ? 1 : 0) + (c.has("size") ? 1 : 0) + (c.has("share") ? 1 : 0);
      if (ways != 1) {
        throw cnode.error(n, "give exactly one of ids: [first, last], size: n or share: fraction");
      }
      if (c.has("ids")) {
        List<?> ids = c.list("ids");
        if (ids.size() != 2) {
          throw c.error("ids", "expected [first, last] (inclusive)");
        }
        lo = tokenId(c, ids.get(0));
        hi = tokenId(c, ids.get(1));
        if (lo < 0 || hi < lo) {
          throw c.error("ids", "expected 0 <= first <= last, got [" + lo + ", " + hi + "]");
        }
      } else {
        int count;
        if (c.has("size")) {
          count = c.count("size");
        } else {
          if (size < 0) {
            throw c.error("share", "a share needs lexicon.size");
          }
          count = share(c, "share", size);
        }
        if (count == 0) {
          throw c.error(c.has("size") ? "size" : "share", "a class needs at least one token");
        }
        lo = next;
        hi = next + count - 1;
      }
      next = Math.max(next, hi + 1);
      int[] m = new int[hi - lo + 1];
      for (int i = 0; i < m.length; i++) {
        m[i] = lo + i;
      }
      members.add(m);
    }
    // Intersection tokens: ids shared by several classes, appended after the exclusive ids.
    int[] shared = new int[0];
    List<String> sharedBy = List.of();
    if (lexicon.has("intersection")) {
      ConfigNode in = lexicon.child("intersection");
      if (in.has("share") == in.has("size")) {
        throw lexicon.error("intersection", "give exactly one of size: n or share: fraction");
      }
      int count = in.has("share") ? share(in, "share", requireSize(in, size)) : in.count("size");
      sharedBy = in.stringList("classes");
      if (sharedBy.size() < 2) {
        throw in.error("classes", "intersection tokens must be shared by at least two classes");
      }
      for (String s : sharedBy) {
        if (!names.contains(s)) {
          throw in.error("classes", "unknown lexical class '" + s + "'");
        }
      }
      in.finish();
      shared = new int[count];
      for (int i = 0; i < count; i++) {
        shared[i] = next + i;
      }
      next += count;
    }
    if (size >= 0 && next != size) {
      throw lexicon.error("size", "classes and intersection cover " + next + " ids, but size is " + size);
    }
    // Overlapping explicit ranges are an error: sharing must be declared as an intersection.
    int[] owner = new int[next];
    Arrays.fill(owner, -1);
    for (int k = 0; k < members.size(); k++) {
      for (int id : members.get(k)) {
        if (owner[id] >= 0) {
          throw cnode.error(names.get(k), "id range overlaps class " + names.get(owner[id])
              + " at id " + id + " (declare shared tokens under lexicon.intersection)");
        }
        owner[id] = k;
      }
    }
    for (int k = 0; k < names.size(); k++) {
      ConfigNode c = nodes.get(k);
      String dist = c.string("distribution", "zipf");
      boolean uniform;
      switch (dist) {
        case "zipf" -> uniform = false;
        case "uniform" -> uniform = true;
        default -> throw c.error("distribution", "expected zipf or uniform, got '" + dist + "'");
      }
      double s = c.number("zipf", defaultZipf);
      if (!(s >= 0) || Double.isInfinite(s)) {
        throw c.error("zipf", "exponent must be finite and >= 0, got " + s);
      }
      int[] m = members.get(k);
      if (sharedBy.contains(names.get(k))) {
        m = Arrays.copyOf(m, m.length + shared.length);
        System.arraycopy(shared, 0, m, members.get(k).length, shared.length);
      }
      c.finish();
      out.add(new LexicalClass(names.get(k), m, uniform, s));
    }
    return out;
  }

  /** One end of an ids range: a whole number below 2^31 (3.5 or 1e10 would be truncated silently). */
  private static int tokenId(ConfigNode c, Object v) {
    double x = c.toNumber(v, c.key("ids"));
    if (x != Math.rint(x) || Math.abs(x) > Integer.MAX_VALUE - 1) {
      throw c.error("ids", "token ids must be whole numbers, got " + v);
    }
    return (int) x;
  }

  private static int requireSize(ConfigNode n, int size) {
    if (size < 0) {
      throw n.error("share", "a share needs lexicon.size");
    }
    return size;
  }

  private static int share(ConfigNode n, String key, int size) {
    double f = n.number(key);
    if (!(f >= 0 && f <= 1)) {
      throw n.error(key, "a share must lie in [0, 1], got " + f);
    }
    double exact = f * size;
    long rounded = Math.round(exact);
    if (Math.abs(exact - rounded) > 1e-6) {
      throw n.error(key, "share " + f + " of " + size + " tokens is not a whole number (" + exact + ")");
    }
    return (int) rounded;
  }

  private Rule[] parseRules(ConfigNode rnode, String nt) {
    List<ConfigNode> items = rnode.childList(nt);
    if (items.isEmpty()) {
      throw rnode.error(nt, "a nonterminal needs at least one rule");
    }
    Rule[] out = new Rule[items.size()];
    double total = 0;
    for (int i = 0; i < items.size(); i++) {
      ConfigNode r = items.get(i);
      double p = r.number("p");
      if (!(p >= 0 && p <= 1)) {
        throw r.error("p", "a probability must lie in [0, 1], got " + p);
      }
      total += p;
      List<String> rhs = r.stringList("rhs");
      int[] syms = new int[rhs.size()];
      for (int j = 0; j < syms.length; j++) {
        syms[j] = symbol(rhs.get(j));
        if (syms[j] < 0) {
          throw r.error("rhs", "undefined symbol '" + rhs.get(j) + "' (neither a lexical class nor a nonterminal)");
        }
      }
      r.finish();
      out[i] = new Rule(p, syms);
    }
    if (Math.abs(total - 1) > 1e-9) {
      throw rnode.error(nt, "rule probabilities sum to " + total + ", expected 1");
    }
    return out;
  }

  private Latents parseLatents(ConfigNode l) {
    int k = classes.size();
    boolean[] doc = new boolean[k];
    boolean[] sec = new boolean[k];
    boolean[] par = new boolean[k];
    double fraction = 0;
    int topicSize = 0;
    double topicWeight = 0;
    if (l.has("document")) {
      ConfigNode d = l.child("document");
      markClasses(d, "rerank", doc);
      d.finish();
    }
    if (l.has("section")) {
      ConfigNode s = l.child("section");
      markClasses(s, "rerank", sec);
      fraction = s.number("fraction");
      if (!(fraction > 0 && fraction <= 1)) {
        throw s.error("fraction", "must lie in (0, 1], got " + fraction);
      }
      for (int c = 0; c < k; c++) {
        long moved = Math.round(fraction * classes.get(c).size());
        if (sec[c] && moved < 2) {
          throw s.error("fraction", "re-ranks round(" + fraction + " x " + classes.get(c).size() + ") = " + moved
              + " positions of class " + classes.get(c).name() + ", fewer than 2: no token could change rank");
        }
      }
      s.finish();
    }
    if (l.has("paragraph")) {
      ConfigNode p = l.child("paragraph");
      markClasses(p, "topic", par);
      topicSize = positive(p, "size");
      topicWeight = p.number("weight");
      if (!(topicWeight > 0 && topicWeight < 1)) {
        throw p.error("weight", "must lie in (0, 1), got " + topicWeight);
      }
      for (int c = 0; c < k; c++) {
        if (par[c] && topicSize > classes.get(c).size()) {
          throw p.error("size", "topic of " + topicSize + " tokens exceeds class " + classes.get(c).name()
              + " (" + classes.get(c).size() + " tokens)");
        }
      }
      p.finish();
    }
    l.finish();
    for (int c = 0; c < k; c++) {
      if ((doc[c] || sec[c] || par[c]) && classes.get(c).uniform()) {
        throw l.error(null, "class " + classes.get(c).name() + " is uniform and has no ranking for a latent to act on");
      }
    }
    return new Latents(doc, sec, fraction, par, topicSize, topicWeight);
  }

  private void markClasses(ConfigNode n, String key, boolean[] mark) {
    for (String c : n.stringList(key)) {
      int i = classIndex(c);
      if (i < 0) {
        throw n.error(key, "unknown lexical class '" + c + "'");
      }
      mark[i] = true;
    }
  }

  private void checkReachable(ConfigNode root) {
    boolean[] seen = new boolean[classes.size() + nonterminals.size()];
    ArrayList<Integer> todo = new ArrayList<>(List.of(start));
    seen[start] = true;
    while (!todo.isEmpty()) {
      int s = todo.remove(todo.size() - 1);
      for (Rule r : rules.get(s - classes.size())) {
        for (int x : r.rhs()) {
          if (!seen[x]) {
            seen[x] = true;
            if (x >= classes.size()) {
              todo.add(x);
            }
          }
        }
      }
    }
    for (int k = 0; k < nonterminals.size(); k++) {
      if (!seen[classes.size() + k]) {
        throw new ConfigException(file, "rules." + nonterminals.get(k), "unreachable from start symbol " + nonterminals.get(start - classes.size()));
      }
    }
  }

  private int nonterminalSymbol(ConfigNode n, String key, String name) {
    int s = symbol(name);
    if (s < classes.size()) {
      throw n.error(key, "'" + name + "' is not a nonterminal defined under rules");
    }
    return s;
  }

  /** Symbol number of a class or nonterminal name, or -1. */
  public int symbol(String s) {
    int c = classIndex(s);
    if (c >= 0) {
      return c;
    }
    int nt = nonterminals.indexOf(s);
    return nt < 0 ? -1 : classes.size() + nt;
  }

  public int classIndex(String name) {
    for (int i = 0; i < classes.size(); i++) {
      if (classes.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Category code of the boundary token of a level, or -1 where it emits none. */
  public int boundaryCategory(int level) {
    if (boundaries[level] == null) {
      return -1;
    }
    int code = classes.size();
    for (int i = 0; i < level; i++) {
      if (boundaries[i] != null) {
        code++;
      }
    }
    return code;
  }

  public int boundaryToken(int level) {
    return boundaries[level] == null ? -1 : vocabulary.id(boundaries[level]);
  }

  public int sentencesPerDocument() {
    return sections * paragraphsPerSection * sentencesPerParagraph;
  }

  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("vocabulary", vocabulary.size());
    m.put("expected_sentence_slots", expectedSentenceSlots);
    return m;
  }
}
