package org.arbor.sweep;

import java.util.List;
import org.arbor.model.CausalLm;

/** Natural-text windows for a cell's probes: none for models trained on an Arbor corpus. */
final class TextWindows {
  private TextWindows() {}

  static List<int[]> of(SweepCell c, CausalLm model) {
    if (c.options().containsKey("paloma")) {
      throw new IllegalArgumentException("paloma windows need the OLMo support (org.arbor.olmo)");
    }
    return List.of();
  }
}
