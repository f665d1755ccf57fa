package org.arbor.notebook;

/** What cells call besides their last expression: {@code display(x)} shows x now, as the kernel renders it. */
public final class Notebook {
  static volatile ArborKernel kernel;

  private Notebook() {}

  public static void display(Object value) {
    ArborKernel k = kernel;
    if (k == null) {
      throw new IllegalStateException("display() needs the Arbor kernel");
    }
    k.display(k.render(value));
  }
}
