#!/usr/bin/env bash
# The frontends' benchmarks of issue 18 (docs/integrations.md): WeftExecutorService vs ThreadPoolExecutor, a
# TaskGraph of 100,000 tasks on each scheduler, a ring all-reduce of 100 MiB vs a plain socket copy.
#
#   benchmarks/run-frontends.sh [--shapes executor,executor-cpu,graph,allreduce] [--runs 3] [--tiny 100000]
#                               [--leaves 50000] [--mib 100] [--members 4]
#
# Builds the benchmarks module, runs dev.weft.bench.frontends.FrontendsBench on a JDK >= 25 and writes
# benchmarks/results/frontends-*.json. Environment: FRONTENDS_HEAP (default 4g); FRONTENDS_NO_BUILD=1 skips Maven.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

. "$root/.mvn/find-java.sh"

cd "$root"
if [ -z "${FRONTENDS_NO_BUILD:-}" ]; then
  echo "run-frontends: building benchmarks ..." >&2
  ./mvnw -q -B -pl benchmarks -am -DskipTests package
fi
java=$(find_java)
# The flags of weft.jvm.flags in the parent pom.
flags="--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
 --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
 --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
 --enable-native-access=ALL-UNNAMED -Dchronicle.analytics.disable=true --sun-misc-unsafe-memory-access=allow"
app="$root/benchmarks/target"
# shellcheck disable=SC2086
exec "$java" -Xmx"${FRONTENDS_HEAP:-4g}" $flags -cp "$app/classes:$(cat "$app/classpath.txt")" \
  dev.weft.bench.frontends.FrontendsBench --out "$root/benchmarks/results" "$@"
