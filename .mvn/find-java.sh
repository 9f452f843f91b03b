# Sourced by ./weft and the benchmark scripts: prints the java of the newest JDK >= 25, looking at JAVA_HOME
# and then the JDKs installed beside the default one; fails with a clear message when there is none.
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
    echo "weft: needs a JDK 25 or newer; none found in JAVA_HOME or /usr/lib/jvm. Install one (e.g. Temurin 25) and set JAVA_HOME." >&2
    exit 1
  fi
  echo "$best/bin/java"
}
