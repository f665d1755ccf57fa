package org.arbor.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.arbor.results.ResultRow;
import org.arbor.results.ResultsTable;
import org.junit.jupiter.api.Test;

/**
 * The cluster path: submit/spark-submit.sh runs the tiny quickstart (generate, train, sweep,
 * report) from the packaged arbor-jobs-*-spark.jar on what a Spark 4.2 distribution provides and
 * nothing else: the classpath of spark-sql_2.13 alone, resolved by Maven. SPARK_SUBMIT points at a
 * stand-in for Spark's spark-submit that starts SparkSubmit (master local[2]) on that classpath,
 * so a dependency the jar fails to carry (DJL, libtorch, the tokenizers, parquet-avro, XChart)
 * fails this test as it would fail on a cluster.
 */
class ClusterJarIT {
  @Test
  void quickstartRunsFromTheSparkJarOnSparksClasspathAlone() throws Exception {
    Path root = TestCorpora.root();
    Path work = Files.createTempDirectory("arbor-cluster-jar");
    Path sparkOnly = sparkClasspath(work);

    // A stand-in for spark-submit: client mode runs the driver in this JVM, as spark-class would.
    String opens = System.getProperty("arbor.test.opens", "");
    Path submit = work.resolve("spark-submit");
    Files.writeString(submit, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' "
        + opens + " -Xmx2g -Dai.djl.offline=true -cp '" + Files.readString(sparkOnly).trim()
        + "' org.apache.spark.deploy.SparkSubmit \"$@\"\n");
    assertTrue(submit.toFile().setExecutable(true));

    Path out = work.resolve("out");
    List<String> command = new ArrayList<>(List.of(root.resolve("submit/spark-submit.sh").toString(), "quickstart",
        "--out", out.toString()));
    command.addAll(List.of(TestCorpora.tinyQuickstart(work.resolve("conf"))));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(work.resolve("log.txt").toFile());
    pb.environment().put("SPARK_MASTER", "local[2]");
    pb.environment().put("SPARK_SUBMIT", submit.toString());
    Process p = pb.start();
    boolean done = p.waitFor(15, TimeUnit.MINUTES);
    String log = Files.readString(work.resolve("log.txt"));
    assertTrue(done, "spark-submit did not finish:\n" + tail(log));
    assertEquals(0, p.exitValue(), "spark-submit failed:\n" + tail(log));

    List<ResultRow> rows = ResultsTable.read(out.resolve("results"));
    assertEquals(List.of(), rows.stream().filter(ResultRow::isError).map(ResultRow::error).toList());
    assertTrue(rows.stream().anyMatch(r -> r.probe().equals("induction")), "probe rows");
    assertTrue(rows.stream().anyMatch(r -> r.key().equals("heldout_loss")), "loss rows");
    assertTrue(Files.isRegularFile(out.resolve("report/index.html")));
  }

  /** The runtime classpath of spark-sql alone (what a Spark distribution's jars/ holds), via Maven. */
  private static Path sparkClasspath(Path work) throws IOException, InterruptedException {
    Path pom = work.resolve("spark-only/pom.xml");
    Files.createDirectories(pom.getParent());
    Files.writeString(pom, String.join("\n",
        "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">",
        "  <modelVersion>4.0.0</modelVersion>",
        "  <groupId>org.arbor.test</groupId><artifactId>spark-only</artifactId><version>1</version>",
        "  <dependencies><dependency><groupId>org.apache.spark</groupId>",
        "    <artifactId>spark-sql_" + System.getProperty("scala.binary.version", "2.13") + "</artifactId>",
        "    <version>" + System.getProperty("spark.version", "4.2.0") + "</version></dependency></dependencies>",
        "</project>", ""));
    Path cp = work.resolve("spark-only/classpath.txt");
    Process p = new ProcessBuilder("mvn", "-B", "-q", "-f", pom.toString(), "dependency:build-classpath",
        "-Dmdep.outputFile=" + cp).redirectErrorStream(true).redirectOutput(work.resolve("mvn.txt").toFile()).start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "mvn dependency:build-classpath timed out");
    assertEquals(0, p.exitValue(), "mvn dependency:build-classpath failed:\n" + Files.readString(work.resolve("mvn.txt")));
    return cp;
  }

  private static String tail(String log) {
    try (Stream<String> lines = log.lines()) {
      List<String> all = lines.toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size()));
    }
  }
}
