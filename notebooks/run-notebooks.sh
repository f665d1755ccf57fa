#!/usr/bin/env bash
# Executes every notebook headless against a results table and fails if any cell fails.
#   notebooks/run-notebooks.sh [RESULTS_DIR]
# Without RESULTS_DIR it runs on the hand-made sweep of Arbor's tests (org.arbor.report.ResultsFixture,
# written to out/notebooks/fixture-results). Executed copies go to out/notebooks/.
# Needs jupyter-nbconvert (Debian: jupyter-nbconvert) and the arbor-java kernel (install-kernel.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/out/notebooks"
mkdir -p "$out"
if [ $# -ge 1 ]; then
  results="$(cd "$1" && pwd)"
else
  results="$out/fixture-results"
  if [ ! -d "$root/lib/target/test-classes/org/arbor/report" ]; then
    (cd "$root" && mvn -B -q -pl lib -DskipTests test-compile >&2)
  fi
  (cd "$root/lib" && mvn -B -q dependency:build-classpath -Dmdep.includeScope=runtime \
     -Dmdep.outputFile="$out/lib-classpath.txt" >&2)
  rm -rf "$results"
  java -Djava.awt.headless=true -cp "$root/lib/target/test-classes:$root/lib/target/classes:$(cat "$out/lib-classpath.txt")" \
    org.arbor.report.ResultsFixture "$results"
fi
status=0
for nb in "$root"/notebooks/*.ipynb; do
  start=$(date +%s)
  if ARBOR_RESULTS="$results" jupyter-nbconvert --to notebook --execute \
      --ExecutePreprocessor.kernel_name=arbor-java --ExecutePreprocessor.timeout=600 \
      --output-dir "$out" "$nb"; then
    echo "notebook $(basename "$nb"): every cell ran ($(( $(date +%s) - start )) s)"
  else
    echo "notebook $(basename "$nb"): FAILED" >&2
    status=1
  fi
done
exit $status
