#!/usr/bin/env bash
# Starts the test-scope ConformanceServer (port ${1:-3000}) for the public Engine.IO / Socket.IO suites
# and the official client. Usage, from anywhere:  herald-gateway/conformance.sh [port]
# For the suites, run it inside a private network namespace, e.g.:
#   unshare -n bash -c 'ip link set lo up; herald-gateway/conformance.sh & sleep 8; \
#     bash /work/shared/conformance/run-protocol-suites.sh /tmp/suites; node client-smoke.mjs; kill %1'
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/jdk.sh"
cd "$root"
cp_file=$(mktemp)
./mvnw -B -q -pl herald-gateway -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
cp="$root/herald-gateway/target/test-classes:$root/herald-gateway/target/classes:$root/herald-core/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.herald.gateway.conformance.ConformanceServer "${1:-3000}"
