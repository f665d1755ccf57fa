package org.arbor.jobs;

import java.nio.file.Path;
import java.util.Set;
import org.arbor.train.CorpusWindows;
import org.arbor.train.TrainConfig;
import org.arbor.train.Trainer;

/**
 * train --run conf/runs/X.yaml --corpus DIR --out DIR [--device cpu|gpu]
 * Trains a model on a corpus (DJL, CPU by default); started again on the same directory it resumes
 * from the last checkpoint, and it refuses a directory holding another run.
 */
public final class Train {
  private Train() {}

  public static void run(String[] argv) throws Exception {
    Args args = new Args("train", argv, Set.of());
    TrainConfig config = TrainConfig.load(Path.of(args.required("run")));
    Path corpus = Path.of(args.required("corpus"));
    Path out = Path.of(args.required("out"));
    String device = args.get("device", "cpu");
    args.finish();
    long step = new Trainer(config, corpus, out, CorpusWindows.FACTORY).device(device).run(System.err);
    System.out.printf("train: %s reached step %d in %s%n", config.name(), step, out);
  }
}
