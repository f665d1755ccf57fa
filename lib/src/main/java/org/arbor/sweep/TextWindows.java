package org.arbor.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.arbor.config.ConfigNode;
import org.arbor.model.Checkpoint;
import org.arbor.olmo.PalomaWindows;

/**
 * Natural-text windows for a cell's probes: Paloma windows tokenized with the checkpoint's own
 * tokenizer.json for OLMo revisions that name a Paloma root; none otherwise (models trained on an
 * Arbor corpus read its held-out split).
 */
final class TextWindows {
  private TextWindows() {}

  @SuppressWarnings("unchecked")
  static List<int[]> of(SweepCell c, Path checkpoint, String file) throws IOException {
    Object paloma = c.options().get("paloma");
    if (paloma == null) {
      return List.of();
    }
    PalomaWindows.Settings s = PalomaWindows.Settings.fromConfig(ConfigNode.of(file, "runs.paloma", (Map<String, Object>) paloma));
    return PalomaWindows.build(s, checkpoint.resolve(Checkpoint.TOKENIZER));
  }
}
