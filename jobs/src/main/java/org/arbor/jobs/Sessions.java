package org.arbor.jobs;

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
    conf.setIfMissing("spark.ui.enabled", "false");
    conf.setIfMissing("spark.sql.shuffle.partitions", "8");
    // No _SUCCESS markers: Arbor's manifest.json is the completeness marker.
    conf.setIfMissing("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");
    conf.setIfMissing("spark.sql.parquet.compression.codec", "zstd");
    return SparkSession.builder().appName(appName).config(conf).getOrCreate();
  }
}
