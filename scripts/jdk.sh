# Sourced by ./herald and the other scripts: exports JAVA_HOME as the first JDK 21 or newer found in
# JAVA_HOME, then PATH, then /usr/lib/jvm (the machine's default java may be older).
# A JDK's release file names its version without starting a JVM (~0.2 s each, twice per start).
java_major() {
  local v
  v=$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$1/release" 2>/dev/null)
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  echo "$v"
}

find_jdk() {
  local candidates=() c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"); fi
  for c in /usr/lib/jvm/*; do [ -d "$c" ] && candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(java_major "$c")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then export JAVA_HOME="$c"; return 0; fi
  done
  echo "herald: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm). Install one, e.g. 'apt-get install openjdk-21-jdk'." >&2
  exit 1
}

find_jdk
