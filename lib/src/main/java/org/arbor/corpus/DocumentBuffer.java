package org.arbor.corpus;

import java.util.Arrays;

/**
 * A growable, reusable per-token buffer that samplers append documents to, one after another: a
 * token and its annotations per position, in one int array per column. The corpus writer keeps a
 * whole row group in one buffer, so a sampled document is written where it will be encoded from.
 * Columns are numbered as in the corpus schema; a sampler says which annotations it writes with a
 * mask of {@link #bit} values (positions of the other columns are left as they were).
 */
public final class DocumentBuffer {
  public static final int TOKENS = 0;
  public static final int CATEGORY = 1;
  public static final int RANK = 2;
  public static final int SECTION = 3;
  public static final int PARAGRAPH = 4;
  public static final int SENTENCE = 5;
  public static final int CLAUSE = 6;
  public static final int ORDER = 7;
  public static final int COLUMNS = 8;

  private int n;
  private final int[][] columns = new int[COLUMNS][];
  /** The columns held ({@link #bit}s); the others stay empty arrays. */
  private final int held;

  public DocumentBuffer() {
    this(256);
  }

  /** With room for capacity tokens before the first growth. */
  public DocumentBuffer(int capacity) {
    this(capacity, (1 << COLUMNS) - 1);
  }

  /**
   * Holding only the tokens and the columns in mask ({@link #bit}s), for a writer whose process
   * fills just those (an N-gram row group needs four of the eight: half the memory); the others
   * are empty arrays that a sampler must not write.
   */
  public DocumentBuffer(int capacity, int mask) {
    held = mask | bit(TOKENS);
    for (int c = 0; c < COLUMNS; c++) {
      columns[c] = new int[(held & bit(c)) != 0 ? Math.max(capacity, 16) : 0];
    }
  }

  /** The mask bit of column c. */
  public static int bit(int c) {
    return 1 << c;
  }

  public void clear() {
    n = 0;
  }

  /** Tokens held (all documents). */
  public int length() {
    return n;
  }

  public int token(int i) {
    return columns[TOKENS][i];
  }

  /** Appends a token and its hierarchy annotations (the order column is left unwritten). */
  public void add(int token, int cat, int rk, int sec, int par, int sen, int cla) {
    if (n == columns[TOKENS].length) {
      reserve(1);
    }
    int[][] a = columns;
    a[TOKENS][n] = token;
    a[CATEGORY][n] = cat;
    a[RANK][n] = rk;
    a[SECTION][n] = sec;
    a[PARAGRAPH][n] = par;
    a[SENTENCE][n] = sen;
    a[CLAUSE][n] = cla;
    n++;
  }

  /**
   * Room for more tokens after {@link #length()}: a sampler that writes whole runs of positions
   * itself reserves them, fills {@link #column}s from length() on and then calls {@link #advance}.
   */
  public void reserve(int more) {
    if (n + more > columns[TOKENS].length) {
      int c = Math.max(n + more, 2 * columns[TOKENS].length);
      for (int k = 0; k < COLUMNS; k++) {
        if ((held & bit(k)) != 0) {
          columns[k] = Arrays.copyOf(columns[k], c);
        }
      }
    }
  }

  /** Column c's backing array (valid until the next {@link #reserve} or {@link #add}). */
  public int[] column(int c) {
    return columns[c];
  }

  public void advance(int tokens) {
    n += tokens;
  }

  /** Copies a document in: its arrays of the columns in mask, which must all have its length. */
  public void add(Document d, int mask) {
    int len = d.length();
    reserve(len);
    for (int c = 0; c < COLUMNS; c++) {
      if ((mask & bit(c)) != 0) {
        copy(array(d, c), columns[c], n, len);
      }
    }
    n += len;
  }

  /** The columns a document carries: those whose array has its length (every one of an empty document). */
  public static int mask(Document d) {
    int mask = 0;
    for (int c = 0; c < COLUMNS; c++) {
      mask |= java.lang.reflect.Array.getLength(array(d, c)) == d.length() ? bit(c) : 0;
    }
    return mask;
  }

  private static Object array(Document d, int c) {
    return switch (c) {
      case TOKENS -> d.tokens();
      case CATEGORY -> d.category();
      case RANK -> d.rank();
      case SECTION -> d.section();
      case PARAGRAPH -> d.paragraph();
      case SENTENCE -> d.sentence();
      case CLAUSE -> d.clause();
      default -> d.order();
    };
  }

  private static void copy(Object from, int[] to, int at, int len) {
    if (from instanceof int[] a) {
      System.arraycopy(a, 0, to, at, len);
    } else {
      short[] s = (short[]) from;
      for (int i = 0; i < len; i++) {
        to[at + i] = s[i];
      }
    }
  }

  /** The document held from position from to the end, with the columns in mask (others empty). */
  public Document build(int from, double logProb, int mask) {
    int[][] a = columns;
    return new Document(
        Arrays.copyOfRange(a[TOKENS], from, n),
        shorts(CATEGORY, from, mask),
        (mask & bit(RANK)) != 0 ? Arrays.copyOfRange(a[RANK], from, n) : new int[0],
        shorts(SECTION, from, mask),
        shorts(PARAGRAPH, from, mask),
        shorts(SENTENCE, from, mask),
        shorts(CLAUSE, from, mask),
        shorts(ORDER, from, mask),
        logProb);
  }

  private short[] shorts(int c, int from, int mask) {
    if ((mask & bit(c)) == 0) {
      return new short[0];
    }
    short[] s = new short[n - from];
    int[] a = columns[c];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) a[from + i];
    }
    return s;
  }
}
