#!/usr/bin/env bash
# Macro benchmarks of BENCHMARKS.md: Weft vs Apache Spark local[2] and DuckDB (2 threads), and plain Java, on the
# same Parquet files.
#
#   benchmarks/run-macro.sh [--scale S] [--workloads W1a,W2,...] [other MacroRunner options, see --help]
#
# Builds the benchmarks module and the Spark and DuckDB peers (benchmarks/spark-peer, benchmarks/duckdb-peer, both
# outside the default build; --engines weft,spark,duckdb,java picks the engines), generates
# the data under benchmarks/data/scale-S/ if absent, runs the runner on a JDK >= 25 and writes
# benchmarks/results/macro-*.json and the table in docs/macro-benchmarks.md.
# Environment: SPARK_JAVA_HOME = JDK for the Spark JVM (default: the same JDK as Weft);
#              MACRO_HEAP = runner -Xmx (default 4g; the Spark JVM gets --spark-heap, default 4g);
#              MACRO_NO_BUILD=1 skips the Maven builds.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

. "$root/.mvn/find-java.sh"

cd "$root"
if [ -z "${MACRO_NO_BUILD:-}" ]; then
  echo "run-macro: building benchmarks and the Spark and DuckDB peers ..." >&2
  ./mvnw -q -B -pl benchmarks -am -DskipTests package
  ./mvnw -q -B -f benchmarks/spark-peer/pom.xml -DskipTests package
  ./mvnw -q -B -f benchmarks/duckdb-peer/pom.xml -DskipTests package
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
