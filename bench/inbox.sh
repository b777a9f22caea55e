#!/usr/bin/env bash
# Inbox query benchmark at 1 million stored notifications (the measured counterpart of
# herald-store/QUERY-PLANS.md): builds herald-bench, then seeds PostgreSQL and the embedded SQLite
# store through the real store and measures the inbox queries through the store ports.
# Examples:
#   bench/inbox.sh                                   # both stores, 1 000 000 rows
#   bench/inbox.sh --rows 100000 --stores sqlite
#   DATABASE_URL=postgres://postgres@db:5432/herald bench/inbox.sh --clients 64 --mixed-seconds 30
# PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); the run creates and
# drops the schema --schema (default inbox_bench). SQLite: a temporary data directory, deleted.
# Results: bench/results/inbox-<store>.json and .md; the tables are printed too.
# All options: bench/inbox.sh --help (dev.herald.bench.inbox.InboxBench).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/jdk.sh
. "$root/scripts/jdk.sh"
jar="$root/herald-bench/target/herald-bench.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/herald-bench/src/main" "$root/herald-bench/pom.xml" "$root/herald-store/src/main" \
    "$root/herald-core/src/main" -newer "$jar" -print -quit)" ]; then
  echo "inbox-bench: building herald-bench..." >&2
  (cd "$root" && ./mvnw -B -q -ntp -DskipTests -pl herald-bench -am package >&2)
fi
# From the root, so the default --out (bench/results) lands in the repository.
cd "$root"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -cp "$jar" dev.herald.bench.inbox.InboxBench "$@"
