#!/usr/bin/env bash
# Macro benchmarks of BENCHMARKS.md: Weft vs Apache Spark local[2] (and plain Java) on the same Parquet files.
#
#   benchmarks/run-macro.sh [--scale S] [--workloads W1a,W2,...] [other MacroRunner options, see --help]
#
# Builds the benchmarks module and the Spark peer (benchmarks/spark-peer, outside the default build), generates
# the data under benchmarks/data/scale-S/ if absent, runs the runner on a JDK >= 25 and writes
# benchmarks/results/macro-*.json and the table in docs/macro-benchmarks.md.
# Environment: SPARK_JAVA_HOME = JDK for the Spark JVM (default: the same JDK as Weft);
#              MACRO_HEAP = runner -Xmx (default 4g; the Spark JVM gets --spark-heap, default 4g);
#              MACRO_NO_BUILD=1 skips the Maven builds.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

# Same discovery as the root `weft` launcher: JAVA_HOME if >= 25, else the newest JDK >= 25 beside the default one.
find_java() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/* /usr/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] && candidates+=("$d")
  done
  local best="" best_major=0
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    local v major
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    major=${v%%.*}
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best="$home"; best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "run-macro: needs a JDK 25 or newer; none found in JAVA_HOME or /usr/lib/jvm. Install one (e.g. Temurin 25) and set JAVA_HOME." >&2
    exit 1
  fi
  echo "$best/bin/java"
}

cd "$root"
if [ -z "${MACRO_NO_BUILD:-}" ]; then
  echo "run-macro: building benchmarks and the Spark peer ..." >&2
  ./mvnw -q -B -pl benchmarks -am -DskipTests package
  ./mvnw -q -B -f benchmarks/spark-peer/pom.xml -DskipTests package
fi
java=$(find_java)
spark_java="$java"
if [ -n "${SPARK_JAVA_HOME:-}" ]; then
  spark_java="$SPARK_JAVA_HOME/bin/java"
fi
# The flags of weft.jvm.flags in the parent pom (Arrow, Chronicle, Netty on JDK 25).
flags="--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
 --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
 --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
 --enable-native-access=ALL-UNNAMED -Dchronicle.analytics.disable=true --sun-misc-unsafe-memory-access=allow"
app="$root/benchmarks/target"
# shellcheck disable=SC2086
exec "$java" -Xmx"${MACRO_HEAP:-4g}" $flags -cp "$app/classes:$(cat "$app/classpath.txt")" \
  dev.weft.bench.macro.MacroRunner --spark-java "$spark_java" "$@"
