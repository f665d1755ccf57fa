package org.arbor.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the Spark session: embedded local[*] unless spark-submit set a master. */
public final class Sessions {
  private Sessions() {}

  public static SparkSession start(String appName) {
    SparkConf conf = new SparkConf(true);
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    return SparkSession.builder().appName(appName).config(configure(conf)).getOrCreate();
  }

  /** Arbor's settings, where the user has not set them (the tests' sessions take them too). */
  public static SparkConf configure(SparkConf conf) {
    conf.setIfMissing("spark.ui.enabled", "false");
    // Local files without a forked chmod per file and directory (see NioLocalFileSystem). Hadoop
    // caches file systems by scheme, not by configuration: uncached, a file: system made earlier
    // with the default class cannot stand in for this one.
    conf.setIfMissing("spark.hadoop.fs.file.impl", NioLocalFileSystem.class.getName());
    conf.setIfMissing("spark.hadoop.fs.file.impl.disable.cache", "true");
    conf.setIfMissing("spark.sql.shuffle.partitions", "8");
    // No _SUCCESS markers: Arbor's manifest.json is the completeness marker.
    conf.setIfMissing("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");
    conf.setIfMissing("spark.sql.parquet.compression.codec", "zstd");
    return conf;
  }

  /** A Hadoop configuration with Arbor's spark.hadoop.* settings, for file work outside a session. */
  public static Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    for (scala.Tuple2<String, String> kv : configure(new SparkConf(false)).getAll()) {
      if (kv._1().startsWith("spark.hadoop.")) {
        conf.set(kv._1().substring("spark.hadoop.".length()), kv._2());
      }
    }
    return conf;
  }
}
