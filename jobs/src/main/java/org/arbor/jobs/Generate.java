package org.arbor.jobs;

import java.nio.file.Path;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.arbor.corpus.CorpusSpec;
import org.arbor.jobs.corpus.CorpusWriter;

/**
 * generate --corpus conf/corpora/X.yaml --out DIR [--partitions N] [--overwrite]
 * Writes DIR/{train,test}/part-NNNNN.parquet, DIR/tokenizer.json and DIR/manifest.json.
 */
public final class Generate {
  private Generate() {}

  public static void run(String[] argv) {
    Args args = new Args("generate", argv, Set.of("overwrite"));
    CorpusSpec spec = CorpusSpec.load(Path.of(args.required("corpus")));
    String out = args.required("out");
    int partitions = args.intValue("partitions", 0);
    args.finish();
    SparkSession spark = Sessions.start("arbor-generate " + spec.name);
    CorpusWriter writer = new CorpusWriter(spark, spec);
    if (partitions > 0) {
      writer.partitions(partitions);
    }
    long t0 = System.nanoTime();
    writer.write(out, args.flag("overwrite"));
    System.out.printf("generate: %s -> %s in %.1f s%n", spec.name, out, (System.nanoTime() - t0) / 1e9);
  }
}
