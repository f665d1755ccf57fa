package org.arbor.jobs;

import com.holdenkarau.spark.testing.JavaDatasetSuiteBase;
import org.apache.spark.SparkConf;

/**
 * The Spark session of the jobs' tests (spark-testing-base): local[2, 4], so a failed task is
 * retried up to 4 times; no Hive; otherwise Arbor's own settings ({@link Sessions#configure}).
 */
public abstract class SparkTestBase extends JavaDatasetSuiteBase {
  @Override
  public SparkConf conf() {
    return Sessions.configure(super.conf().setMaster("local[2,4]").set("spark.ui.enabled", "false")
        .set("spark.sql.shuffle.partitions", "4"));
  }

  @Override
  public boolean enableHiveSupport() {
    return false;
  }
}
