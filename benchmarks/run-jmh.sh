#!/usr/bin/env bash
# Runs the JMH benchmarks on JDK 25 and writes JSON to benchmarks/results/.
#   benchmarks/run-jmh.sh                 every benchmark, short settings (1 fork, 2x1 s warm-up, 3x2 s measurement)
#   benchmarks/run-jmh.sh 'TaskBench.*'   benchmarks matching a regex
#   benchmarks/run-jmh.sh --million       the "1,000,000 queued empty tasks in < 10 s, heap < 2 GiB" check
# JMH_OPTS replaces the short settings (e.g. JMH_OPTS="-f 3 -wi 5 -i 10"); WEFT_SKIP_BUILD=1 skips the build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

. "$root/.mvn/find-java.sh"

if [ -z "${WEFT_SKIP_BUILD:-}" ]; then
  echo "run-jmh: building benchmarks ..." >&2
  (cd "$root" && ./mvnw -q -B -pl benchmarks -am -DskipTests package) >&2
fi
java=$(find_java)
# The JVM flags of deps.md, kept in one place: the parent pom's weft.jvm.flags property.
flags=$(sed -n 's:.*<weft.jvm.flags>\(.*\)</weft.jvm.flags>.*:\1:p' "$root/pom.xml")
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"

if [ "${1:-}" = "--million" ]; then
  shift
  mkdir -p "$here/results"
  # shellcheck disable=SC2086
  "$java" $flags -Xmx2g -cp "$cp" dev.weft.bench.core.MillionTasksCheck "$@" | tee "$here/results/million-$(date -u +%Y%m%dT%H%M%SZ).txt"
  exit "${PIPESTATUS[0]}"
fi

mkdir -p "$here/results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$here/results/jmh-$stamp.json"
# The machine line of the results table: cores, memory, JDK, and the load when the run started.
machine=$(cat <<JSON
{"cores": $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 0),
 "memoryBytes": $(awk '/MemTotal/ {printf "%.0f", $2 * 1024}' /proc/meminfo 2>/dev/null || echo 0),
 "jdk": "$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}')",
 "os": "$(uname -sr)",
 "loadAverage": "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)",
 "settings": "${JMH_OPTS:--f 1 -wi 2 -w 1s -i 3 -r 2s}"}
JSON
)
regex="${1:-dev.weft.bench.core.*}"
[ $# -gt 0 ] && shift
# JMH refuses to run while another JMH run holds its lock; on a shared machine wait for it (up to ~20 min)
# rather than run two benchmarks against each other.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for attempt in $(seq 1 60); do
  set +e
  # shellcheck disable=SC2086
  "$java" $flags -cp "$cp" org.openjdk.jmh.Main "$regex" \
    ${JMH_OPTS:--f 1 -wi 2 -w 1s -i 3 -r 2s} \
    -jvmArgs "$flags -Xmx4g" \
    -rf json -rff "$out" "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  if grep -q "Unable to acquire the JMH lock" "$log"; then
    echo "run-jmh: another JMH run is in progress; waiting (attempt $attempt) ..." >&2
    sleep 20
    continue
  fi
  break
done
[ "$rc" -eq 0 ] || exit "$rc"
echo "$machine" > "${out%.json}.machine.json"
echo "run-jmh: results in $out" >&2
