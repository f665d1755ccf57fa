#!/usr/bin/env bash
# Builds Arbor's Java kernel for Jupyter (notebooks/kernel: JShell on org.dflib.jjava:jjava-jupyter)
# and installs its kernelspec "arbor-java" for this user, with Arbor's lib jar and its dependencies
# on the kernel's class path, so notebooks draw figures with the same code as the report job.
# The kernelspec points into this checkout and ~/.m2: run it again after moving either.
#   notebooks/install-kernel.sh            (JUPYTER_DATA_DIR, default ~/.local/share/jupyter)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kernel="$root/notebooks/kernel"
lib_jar="$root/lib/target/arbor-lib-0.1.0-SNAPSHOT.jar"
if [ ! -f "$lib_jar" ] || [ -n "$(find "$root/lib/src/main" "$root/lib/pom.xml" -newer "$lib_jar" -print -quit)" ]; then
  echo "building Arbor's lib (mvn -pl lib -DskipTests package)..." >&2
  (cd "$root" && mvn -B -q -pl lib -DskipTests package >&2)
fi
mkdir -p "$kernel/target"
(cd "$root/lib" && mvn -B -q dependency:build-classpath -Dmdep.includeScope=runtime \
   -Dmdep.outputFile="$kernel/target/lib-classpath.txt" >&2)
(cd "$kernel" && mvn -B -q package dependency:build-classpath -Dmdep.includeScope=runtime \
   -Dmdep.outputFile="$kernel/target/kernel-classpath.txt" >&2)
# The kernel's own dependencies first: its slf4j 2 binding over the 1.x API some of lib's bring.
cp="$kernel/target/arbor-kernel-0.1.0-SNAPSHOT.jar:$(cat "$kernel/target/kernel-classpath.txt"):$lib_jar:$(cat "$kernel/target/lib-classpath.txt")"
java_bin="$(command -v java)"
spec="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels/arbor-java"
mkdir -p "$spec"
python3 - "$spec/kernel.json" "$java_bin" "$cp" <<'PY'
import json, sys
path, java, cp = sys.argv[1:4]
spec = {
    "argv": [java, "-Djava.awt.headless=true", "-Dai.djl.offline=true", "-Xmx2g", "-cp", cp,
             "org.arbor.notebook.ArborKernel", "{connection_file}"],
    "display_name": "Java (Arbor)",
    "language": "java",
}
with open(path, "w") as f:
    json.dump(spec, f, indent=1)
PY
echo "installed kernelspec arbor-java in $spec" >&2
