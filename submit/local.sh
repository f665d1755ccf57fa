#!/usr/bin/env bash
# Runs an Arbor job with embedded Spark (local[*]): submit/local.sh <job> [options]
#   jobs: quickstart, generate, stats, train, sweep, report and the bench-* jobs (see README.md)
# Builds the jars first if they are missing. Heap: ARBOR_HEAP (default 4g).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/jobs/target/arbor-jobs-0.1.0-SNAPSHOT.jar"
cp_file="$root/jobs/target/classpath.txt"
if [ ! -f "$jar" ] || [ ! -f "$cp_file" ] || [ -n "$(find "$root/lib/src" "$root/jobs/src" -newer "$jar" -print -quit)" ] \
   || [ -n "$(find "$root/pom.xml" "$root/lib/pom.xml" "$root/jobs/pom.xml" -newer "$cp_file" -print -quit)" ]; then
  echo "building Arbor (mvn -DskipTests install)..." >&2
  (cd "$root" && mvn -B -q -DskipTests install >&2)
  (cd "$root/jobs" && mvn -B -q dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile="$cp_file" >&2)
fi
# Spark's own --add-opens list (org.apache.spark.launcher.JavaModuleOptions).
opens=$(sed -n 's:.*<spark.add.opens>\(.*\)</spark.add.opens>.*:\1:p' "$root/pom.xml" | head -n 1)
# This checkout's lib jar, not the shared ~/.m2 copy another checkout may have installed.
cp="$(tr ':' '\n' < "$cp_file" | grep -v '/arbor-lib-' | paste -sd:)"
exec java ${opens} -Xmx"${ARBOR_HEAP:-4g}" -Dai.djl.offline=true ${ARBOR_JAVA_OPTS:-} \
  -cp "$jar:$root/lib/target/arbor-lib-0.1.0-SNAPSHOT.jar:$cp" org.arbor.jobs.Main "$@"
