package org.arbor.report;

import java.util.Base64;
import java.util.List;

/**
 * One figure of the report: its panels side by side (PCFG beside N-gram, and OLMo where it has rows)
 * and a one-sentence caption saying what it measures.
 */
public record Figure(String id, String title, String caption, List<Panel> panels) {
  public Figure {
    panels = List.copyOf(panels);
  }

  public Panel panel(String panelId) {
    for (Panel p : panels) {
      if (p.id().equals(panelId)) {
        return p;
      }
    }
    throw new IllegalArgumentException("figure " + id + " has no panel " + panelId);
  }

  /** The figure as HTML with its panels inlined as PNG (what a notebook cell shows). */
  public String toHtml() {
    StringBuilder b = new StringBuilder();
    b.append("<figure id=\"").append(Html.escape(id)).append("\"><h3>").append(Html.escape(title)).append("</h3>")
        .append("<div style=\"display:flex;flex-wrap:wrap;gap:8px\">");
    for (Panel p : panels) {
      b.append("<img alt=\"").append(Html.escape(p.id())).append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(ChartImages.png(p.chart()))).append("\">");
    }
    b.append("</div><figcaption>").append(Html.escape(caption)).append("</figcaption></figure>");
    return b.toString();
  }
}
