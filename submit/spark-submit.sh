#!/usr/bin/env bash
# Runs an Arbor job on a cluster through spark-submit: submit/spark-submit.sh <job> [options]
#   SPARK_MASTER   spark://host:7077 (standalone), yarn, or k8s://https://host:port (required)
#   SPARK_SUBMIT   path of spark-submit (default: spark-submit on PATH; Spark 4.2, Scala 2.13)
#   ARBOR_SUBMIT_OPTS  extra spark-submit options, e.g. "--executor-memory 2g --num-executors 8"
#                  or for Kubernetes "--conf spark.kubernetes.container.image=apache/spark:4.2.0"
# The driver runs here (client mode), so conf/ paths are read locally; write outputs to a path every
# executor can reach (hdfs://, s3a://, or a shared mount). The jar carries DJL with libtorch for CPU
# (train, sweep): each machine unpacks it once into DJL_CACHE_DIR (default ~/.djl.ai, 432 MB).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/jobs/target/arbor-jobs-0.1.0-SNAPSHOT-spark.jar"
[ -n "${SPARK_MASTER:-}" ] || { echo "set SPARK_MASTER (spark://..., yarn or k8s://...)" >&2; exit 2; }
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -DskipTests install >&2)
fi
# DJL must not try to download what the jar already carries.
exec "${SPARK_SUBMIT:-spark-submit}" --master "$SPARK_MASTER" --deploy-mode client \
  --driver-java-options "-Dai.djl.offline=true" --conf spark.executor.extraJavaOptions=-Dai.djl.offline=true \
  --class org.arbor.jobs.Main ${ARBOR_SUBMIT_OPTS:-} "$jar" "$@"
