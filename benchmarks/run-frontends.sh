#!/usr/bin/env bash
# The frontends' benchmarks of issue 18 (docs/integrations.md): WeftExecutorService vs ThreadPoolExecutor, a
# TaskGraph of 100,000 tasks on each scheduler, a ring all-reduce of 100 MiB vs a plain socket copy.
#
#   benchmarks/run-frontends.sh [--with-dask] [--shapes executor,executor-cpu,graph,allreduce] [--runs 3]
#                               [--tiny 100000] [--leaves 50000] [--mib 100] [--members 4]
#
# --with-dask also runs the graph on Dask's synchronous, threaded and distributed schedulers in the same run,
# installing Debian's python3-dask and python3-distributed with apt-get first if /usr/bin/python3 lacks them.
#
# Builds the benchmarks module, runs dev.weft.bench.frontends.FrontendsBench on a JDK >= 25 and writes
# benchmarks/results/frontends-*.json. Environment: FRONTENDS_HEAP (default 4g); FRONTENDS_NO_BUILD=1 skips Maven.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

. "$root/.mvn/find-java.sh"

cd "$root"
dask=()
if [ "${1:-}" = "--with-dask" ]; then
  shift
  if ! /usr/bin/python3 -c 'import dask.distributed' 2>/dev/null; then
    echo "run-frontends: installing python3-dask and python3-distributed ..." >&2
    apt-get install -y -q python3-dask python3-distributed >&2
  fi
  dask=(--dask /usr/bin/python3 --dask-script "$root/benchmarks/dask-peer/graph_bench.py")
fi
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
  dev.weft.bench.frontends.FrontendsBench --out "$root/benchmarks/results" "${dask[@]}" "$@"
