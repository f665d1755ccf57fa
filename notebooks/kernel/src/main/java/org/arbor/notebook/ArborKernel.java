package org.arbor.notebook;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A Jupyter kernel for Java: each cell is cut into JShell snippets and run in this JVM, whose class
 * path (set by notebooks/install-kernel.sh) holds Arbor's lib and its dependencies. A cell's last
 * expression is shown as a PNG if it is an XChart chart, as HTML if it has a {@code toHtml()} method
 * (Arbor's Figure), each element of an Optional or a List the same way, otherwise as text. A snippet
 * that does not compile or that throws fails the cell, so a headless run of a notebook fails too.
 *
 * <p>Usage (what kernel.json runs): java -cp ... org.arbor.notebook.ArborKernel CONNECTION_FILE
 */
public final class ArborKernel extends BaseKernel {
  private final JShell shell;
  private final ValueCapture capture = new ValueCapture();

  private ArborKernel(String name, String version, HistoryManager history, JupyterIO io, CommManager comms,
      Renderer renderer, MagicParser magics, MagicsRegistry registry, StringStyler errorStyler) {
    super(name, version,
        new LanguageInfo.Builder("java").version(Runtime.version().toString()).mimetype("text/x-java-source")
            .fileExtension(".jshell").pygments("java").codemirror("text/x-java").build(),
        List.of(), history, io, comms, renderer, magics, registry, false, errorStyler);
    ExecutionControlProvider direct = new ExecutionControlProvider() {
      @Override
      public String name() {
        return "arbor-direct";
      }

      @Override
      public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return capture;
      }
    };
    shell = JShell.builder().executionEngine(direct, Map.of()).build();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        shell.addToClasspath(entry);
      }
    }
    Notebook.kernel = this;
    run("import static org.arbor.notebook.Notebook.display;");
  }

  static final class Builder extends BaseKernelBuilder<Builder, ArborKernel> {
    @Override
    public ArborKernel build() {
      return new ArborKernel(buildName(), buildVersion(), buildHistoryManager(),
          buildJupyterIO(buildJupyterIOEncoding()), buildCommManager(), buildRenderer(),
          new MagicParser("(?<=(?:^|=))\\s*%", "%%", buildMagicTranspiler()), buildMagicsRegistry(),
          buildErrorStyler());
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ArborKernel CONNECTION_FILE");
      System.exit(2);
    }
    KernelConnectionProperties props =
        KernelConnectionProperties.parse(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
    JupyterConnection connection = new JupyterConnection(props);
    ArborKernel kernel = new Builder().name("Arbor Java").version("0.1.0").build();
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
    kernel.shell.close();
    System.exit(0);
  }

  /** Signals a cell that did not compile or threw; its message is what the notebook shows. */
  static final class CellException extends RuntimeException {
    CellException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The cell's value, or null if its last snippet has none (a declaration, a statement). */
  @Override
  public Object evalRaw(String code) {
    Value v = run(code);
    return v.present ? v.value : null;
  }

  @Override
  public DisplayData eval(String code) {
    Value v = run(code);
    return v.present ? render(v.value) : null;
  }

  private record Value(boolean present, Object value) {}

  private Value run(String code) {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = code;
    Value result = new Value(false, null);
    while (!remaining.isBlank()) {
      CompletionInfo info = analysis.analyzeCompletion(remaining);
      switch (info.completeness()) {
        case EMPTY -> {
          return result;
        }
        case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE ->
            throw new CellException("incomplete code at: " + remaining.strip(), null);
        default -> { }
      }
      String source = info.source() != null ? info.source() : remaining;
      remaining = info.source() != null ? info.remaining() : "";
      capture.take();
      Snippet last = null;
      for (SnippetEvent e : shell.eval(source)) {
        if (e.causeSnippet() != null) {
          continue; // a dependent snippet updated by this one
        }
        if (e.status() == Snippet.Status.REJECTED) {
          String diags = shell.diagnostics(e.snippet())
              .map(d -> d.getMessage(null) + " at: " + excerpt(e.snippet().source(), d))
              .collect(Collectors.joining("\n"));
          throw new CellException("does not compile:\n" + diags, null);
        }
        if (e.exception() != null) {
          throw new CellException(describe(e.exception()), e.exception());
        }
        last = e.snippet();
      }
      boolean valued = last instanceof ExpressionSnippet
          || last instanceof VarSnippet var && var.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
      result = new Value(valued, valued ? capture.take() : null);
    }
    return result;
  }

  private static String excerpt(String source, Diag d) {
    int from = (int) Math.max(0, d.getStartPosition());
    int to = (int) Math.min(source.length(), Math.max(d.getEndPosition(), from + 1));
    return source.substring(from, to);
  }

  private static String describe(Exception e) {
    if (e instanceof EvalException ee) {
      StringBuilder b = new StringBuilder(ee.getExceptionClassName()).append(": ").append(ee.getMessage());
      for (StackTraceElement s : ee.getStackTrace()) {
        b.append("\n\tat ").append(s);
      }
      return b.toString();
    }
    if (e instanceof UnresolvedReferenceException u) {
      return "unresolved reference in " + u.getSnippet().source();
    }
    return e.toString();
  }

  /** Charts as PNG, objects with toHtml() as HTML, Optionals and Lists element by element, else text. */
  DisplayData render(Object value) {
    DisplayData d = new DisplayData();
    if (value instanceof Optional<?> o) {
      return o.isPresent() ? render(o.get()) : text(d, "Optional.empty (no rows for this figure)");
    }
    if (value instanceof Chart<?, ?> chart) {
      d.putData("image/png", Base64.getEncoder().encodeToString(png(chart)));
      d.putText(chart.getTitle());
      return d;
    }
    String html = html(value);
    if (html != null) {
      d.putHTML(html);
      d.putText(String.valueOf(value).lines().findFirst().orElse(""));
      return d;
    }
    if (value instanceof List<?> list && !list.isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (Object o : list) {
        String h = o instanceof Chart<?, ?> c
            ? "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png(c)) + "\">"
            : html(o);
        if (h == null) {
          return text(d, String.valueOf(value));
        }
        parts.add(h);
      }
      d.putHTML(String.join("\n", parts));
      d.putText(list.size() + " items");
      return d;
    }
    return text(d, String.valueOf(value));
  }

  private static DisplayData text(DisplayData d, String s) {
    d.putText(s);
    return d;
  }

  private static byte[] png(Chart<?, ?> chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (java.io.IOException e) {
      throw new CellException("cannot draw chart: " + e.getMessage(), e);
    }
  }

  private static String html(Object o) {
    if (o == null) {
      return null;
    }
    try {
      Method m = o.getClass().getMethod("toHtml");
      return m.getReturnType() == String.class ? (String) m.invoke(o) : null;
    } catch (NoSuchMethodException e) {
      return null;
    } catch (ReflectiveOperationException e) {
      throw new CellException("toHtml() failed: " + e.getCause(), e);
    }
  }

  /** A cell's own failure shows as its message (the snippet's exception and stack), not the kernel's stack. */
  @Override
  public List<String> formatError(Throwable e) {
    if (e instanceof CellException) {
      return List.of(("CellException: " + e.getMessage()).split("\n"));
    }
    return super.formatError(e);
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    return null;
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    int[] anchor = new int[1];
    List<String> names = shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor).stream()
        .map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
    return new ReplacementOptions(names, anchor[0], at);
  }

  @Override
  public String isComplete(String code) {
    return switch (shell.sourceCodeAnalysis().analyzeCompletion(code).completeness()) {
      case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> IS_COMPLETE_YES;
      case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> "";
      case UNKNOWN -> IS_COMPLETE_BAD;
    };
  }
}
