package org.arbor.notebook;

import java.lang.reflect.Method;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs JShell's snippets in the kernel's own JVM and keeps the last snippet's value as an object
 * (JShell itself only hands back its string form), so the kernel can draw a chart that a cell
 * evaluates to. Classes on the kernel's class path (Arbor's lib, XChart) are the same classes in
 * snippets: the snippets' class loader delegates to the application class loader first.
 */
final class ValueCapture extends DirectExecutionControl {
  private Object last;

  @Override
  protected String invoke(Method doitMethod) throws Exception {
    Object value = doitMethod.invoke(null);
    last = value;
    return valueString(value);
  }

  Object take() {
    Object v = last;
    last = null;
    return v;
  }
}
