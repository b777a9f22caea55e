#!/usr/bin/env bash
# Runs one herald-bench scenario against Herald, the Node Socket.IO reference and the Netty ceiling
# in turn (one server at a time, each on a free loopback port), then prints the three side by side
# with ratios. Example:
#   bench/run.sh fanout --members 5000 --rate 200 --seconds 10
#   bench/run.sh idle --connections 19000 --hold 10
#   BENCH_TARGETS="reference ceiling" bench/run.sh handshake --connections 2000 --seconds 10
#   bench/run.sh pipeline --connections 10000 --rate 10000 --seconds 10
#   bench/run.sh webhooks --users 1000 --rate 1000 --seconds 20
#   bench/run.sh emails --users 1000 --rate 500 --seconds 20 --warmup 10
#   bench/run.sh push --users 1000 --rate 500 --seconds 20 --warmup 10
#   bench/run.sh handshake --protocol official --connections 2000 --per-worker 1000   (the npm client as the load)
# Options after the scenario go to the generator (`java -jar herald-bench.jar run --help`).
# pipeline stores notifications: each target gets a fresh PostgreSQL database (BENCH_PGHOST,
# BENCH_PGPORT, BENCH_PGUSER; default 127.0.0.1:5432, postgres, no password), dropped afterwards.
# webhooks runs against Herald only (the reference and the ceiling have no outbox or webhook
# channel): Herald on a fresh database, with WEBHOOK_SIGNING_SECRET and ALLOW_HTTP_WEBHOOKS=true,
# sends to a receiver inside the generator.
# emails and push run against Herald only, on a fresh database: Herald's SMTP_URL (EMAIL_FROM) or
# FCM_BASE_URL/FCM_TOKEN_URL point at a free port where the generator runs its SMTP server or FCM
# stand-in; for push a service account made for the run (FCM_SERVICE_ACCOUNT_FILE, in the server's
# temp data dir) holds the key the stand-in checks grants against. Per-user email/push limits off.
# restart runs against Herald and the reference (not the ceiling), with --protocol official: node A
# (measured) and node B of the target share a fresh PostgreSQL database; the generator stops A
# (--signal TERM or KILL), creates notifications through B, starts A again with the script this
# writes, and times the clients' return and sync.
# BENCH_SOCKET_ACTIVATION=1 runs A under systemd-socket-activate holding its client port, as
# deploy/systemd/herald.socket does: clients that reconnect while A is down wait in the queue.
# --cluster N --broker redis|nats|redis,nats (fanout, unicast; see bench/README.md "A cluster"):
# Herald alone on one node, then N nodes per broker, each run on a fresh PostgreSQL database and a
# private redis-server (and nats-server) on free ports; the reference and the ceiling do not run.
# Results: bench/results/<UTC time>-<scenario>/ (<scenario>-<target>.json/.md, compare.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scenario="${1:?usage: bench/run.sh <idle|fanout|unicast|handshake|pipeline|webhooks|restart|emails|push> [generator options]}"
shift
targets="${BENCH_TARGETS:-herald reference ceiling}"
# --- cluster: options of run.sh itself, taken out of what goes to the generator ---
cluster="" brokers="redis" args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --cluster) cluster="${2:?--cluster needs a node count}"; shift 2 ;;
    --broker) brokers="${2:?--broker needs redis, nats or redis,nats}"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]}"
if [ -n "$cluster" ]; then
  case "$scenario" in fanout|unicast) ;; *) echo "bench: --cluster runs fanout or unicast only" >&2; exit 2 ;; esac
  [ "$cluster" -ge 2 ] 2>/dev/null || { echo "bench: --cluster needs 2 or more nodes" >&2; exit 2; }
  # One node first, as the baseline in the same run, then the cluster on each broker.
  targets="herald"
  for b in ${brokers//,/ }; do
    case "$b" in redis|nats) targets+=" herald-$cluster-$b" ;; *) echo "bench: unknown --broker $b (redis or nats)" >&2; exit 2 ;; esac
  done
fi
# --- end cluster ---
# Why a target has no result, for the comparison table (target=reason).
missing=()

find_jdk() {
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/jcmd" ] || continue
    v=$("$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
    [ -n "$v" ] && [ "$v" -ge 21 ] && { export JAVA_HOME="$c"; return; }
  done
  echo "bench: no JDK 21+ found (set JAVA_HOME)" >&2; exit 1
}
find_jdk
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
jar="$root/herald-bench/target/herald-bench.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/herald-bench/src/main" "$root/herald-bench/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "bench: building herald-bench..." >&2
  (cd "$root" && ./mvnw -B -q -ntp -DskipTests -pl herald-bench -am package >&2)
fi

# One secret and one API key per run, shared by the generator and every server.
export JWT_SECRET="${JWT_SECRET:-bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export HERALD_API_KEY="${HERALD_API_KEY:-benchkey-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export HERALD_API_KEYS="$HERALD_API_KEY"
# A benchmark is one caller from one address at full speed: the production rate limits would measure themselves.
export RATE_LIMIT_API_PER_SECOND=0 RATE_LIMIT_BROADCASTS_PER_MINUTE=0 RATE_LIMIT_USER_EVENTS_PER_MINUTE=0 RATE_LIMIT_HANDSHAKES_PER_IP_PER_MINUTE=0
# The Standard Webhooks key Herald signs with and the generator's receiver checks (32 random bytes).
export WEBHOOK_SIGNING_SECRET="${WEBHOOK_SIGNING_SECRET:-whsec_$(head -c 32 /dev/urandom | base64 | tr -d '\n')}"

out="$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$scenario"
mkdir -p "$out"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_line() { # file, seconds: prints the port from a "listening PORT" line
  for _ in $(seq $(( $2 * 10 ))); do p=$(awk '/^listening /{print $2; exit}' "$1" 2>/dev/null); [ -n "$p" ] && { echo "$p"; return 0; }; sleep 0.1; done
  return 1
}
wait_health() { # port, seconds
  for _ in $(seq $(( $2 * 10 ))); do curl -fs -m 10 "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}

pg_host="${BENCH_PGHOST:-127.0.0.1}" pg_port="${BENCH_PGPORT:-5432}" pg_user="${BENCH_PGUSER:-postgres}"
database=""

server_pid=""
data=""
# Processes a scenario started beside the server (restart: node B, and node A's new process).
other_pids=()
# Their temp data directories (cluster nodes), removed with them; a cluster's private brokers,
# stopped after every node.
other_dirs=()
broker_pids=()
stop_server() {
  for p in "${other_pids[@]}" $(cat "$out/restarted.pid" 2>/dev/null); do
    kill "$p" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  other_pids=()
  for d in "${other_dirs[@]}"; do rm -rf "$d"; done
  other_dirs=()
  rm -f "$out/restarted.pid"
  if [ -n "${bdata:-}" ]; then rm -rf "$bdata"; bdata=""; fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
  for p in "${broker_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  broker_pids=()
  if [ -n "${data:-}" ]; then rm -rf "$data"; data=""; fi
  if [ -n "${database:-}" ]; then
    dropdb -h "$pg_host" -p "$pg_port" -U "$pg_user" --if-exists --force "$database" >&2 || echo "bench: could not drop database $database" >&2
    database=""
  fi
}
trap stop_server EXIT
# Each server runs under setsid, in a session of its own: with the kernel's autogroup scheduling
# (on by default) it then gets a fair half of the CPU against the generator's processes, as it
# would on a machine of its own, instead of competing thread by thread with the workers.
trap 'exit 130' INT TERM

# --- cluster: start_cluster herald-<N>-<broker> starts a private Redis (the registry, and the
# broker for redis), a private NATS for nats, and N Herald nodes on the run's database; sets port,
# server_pid (node 1, where publishes go) and extra (the other nodes, their pids, the brokers' pids).
private_service() { # name, log, command...: starts it under setsid, prints its pid
  local log="$2"; shift 2
  (exec setsid "$@" >"$log" 2>&1) &
  echo $!
}
wait_port() { # port, seconds
  for _ in $(seq $(( $2 * 10 ))); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
start_cluster() {
  local t="$1" n broker rport nport i p g d pid ports=() pids=() bpids=() env_broker=()
  n="$(echo "$t" | cut -d- -f2)" broker="$(echo "$t" | cut -d- -f3)"
  command -v redis-server >/dev/null || { echo "bench: $t: redis-server not found" >&2; return 1; }
  rport=$(free_port)
  pid=$(private_service redis "$out/redis-$t.log" redis-server --bind 127.0.0.1 --port "$rport" --save '' --appendonly no)
  broker_pids+=("$pid"); bpids+=("$pid")
  wait_port "$rport" 20 || { echo "bench: $t: redis-server did not start, see $out/redis-$t.log" >&2; return 1; }
  env_broker=(REDIS_URL="redis://127.0.0.1:$rport")
  if [ "$broker" = nats ]; then
    command -v nats-server >/dev/null || { echo "bench: $t: nats-server not found" >&2; return 1; }
    nport=$(free_port)
    pid=$(private_service nats "$out/nats-$t.log" nats-server -a 127.0.0.1 -p "$nport")
    broker_pids+=("$pid"); bpids=("$pid" "${bpids[@]}")
    wait_port "$nport" 20 || { echo "bench: $t: nats-server did not start, see $out/nats-$t.log" >&2; return 1; }
    env_broker+=(NATS_URL="nats://127.0.0.1:$nport")
  fi
  # One after the other: the first node migrates the fresh database, and the launcher's AOT cache
  # is trained once.
  for i in $(seq "$n"); do
    p=$(free_port); g=$(free_port); d=$(mktemp -d)
    (cd "$root" && exec env "${db_env[@]}" "${env_broker[@]}" NODE_ID="bench-$i" CLUSTER_PREFIX="bench" \
      SOCKETIO_PORT="$p" GRPC_PORT="$g" HERALD_DATA_DIR="$d" LOG_LEVEL=warn \
      MAX_CONNECTIONS="${HERALD_MAX_CONNECTIONS:-19900}" MAX_CONNECTIONS_PER_IP=0 \
      setsid ./herald serve >"$out/server-$t-n$i.log" 2>&1) &
    pid=$!
    other_dirs+=("$d")
    if [ "$i" = 1 ]; then server_pid=$pid port=$p gport=$g; else other_pids+=("$pid"); ports+=("$p"); pids+=("$pid"); fi
    wait_health "$p" 120 || { echo "bench: $t: node $i did not become healthy, see $out/server-$t-n$i.log" >&2; return 1; }
  done
  local IFS=,
  extra=(--cluster-ports "${ports[*]}" --cluster-pids "${pids[*]}" --broker-pids "${bpids[*]}")
  [ "$scenario" = unicast ] && extra+=(--grpc-port "$gport")
  return 0
}
# --- end cluster ---

# --- node A and B: how a target's measured node runs, the same for its first start and every
# restart (node_dir, node_cmd, node_env; port), and in restart how its node B runs beside it on the
# same database (b_env; bport). Set by each target, started by start_node.
node_dir="" node_cmd=() node_env=() b_env=() bport=""
held=""
if [ "$scenario" = restart ] && [ -n "${BENCH_SOCKET_ACTIVATION:-}" ]; then
  command -v systemd-socket-activate >/dev/null || { echo "bench: BENCH_SOCKET_ACTIVATION needs systemd-socket-activate (package systemd)" >&2; exit 2; }
  held=1
fi
start_node() { # target: starts node A, and in restart node B and A's start script; sets server_pid, adds to extra
  local t="$1" log="$out/server-$1.log" start_script="$out/start-$1.sh"
  local node_script="$out/node-$1.sh" supervise="$out/supervise-$1.sh" pidfile="$out/node-$1.pid" fifo="$out/start-$1.fifo"
  if [ -n "$held" ]; then
    # Node A under a held client port, as deploy/systemd/herald.socket runs Herald: systemd's own
    # activator holds the socket and execs a loop that starts the node on descriptor 3, and
    # again each time the generator's start script says so; clients connecting in between wait
    # in the socket's queue.
    rm -f "$pidfile" "$fifo"; mkfifo "$fifo"
    # The activator passes its children only PATH, HOME, USER and TERM: the node script brings
    # back this shell's exported variables (JWT_SECRET, the rate limits, JAVA_OPTS, …).
    export -p >"$out/node-$t.env"
    {
      echo '#!/usr/bin/env bash'
      printf 'source %q 2>/dev/null\n' "$out/node-$t.env"
      printf 'cd %q && exec env' "$node_dir"
      printf ' %q' "${node_env[@]}" "${node_cmd[@]}"
      printf ' >>%q 2>&1\n' "$log"
    } >"$node_script"
    {
      echo '#!/usr/bin/env bash'
      echo 'while :; do'
      # LISTEN_PID names the process that reads it: the inner bash, which execs the node in place.
      printf '  bash -c %q %q &\n' 'LISTEN_PID=$$ exec bash "$0"' "$node_script"
      printf '  echo $! >%q.tmp && mv %q.tmp %q\n' "$pidfile" "$pidfile" "$pidfile"
      echo '  wait $!'
      printf '  read -r _ <%q\n' "$fifo"
      echo 'done'
    } >"$supervise"
    (exec setsid systemd-socket-activate -l "127.0.0.1:$port" bash "$supervise" >"$out/holder-$t.log" 2>&1) &
    other_pids+=($!)
    # The activator execs its child at the first connection: this probe's, which the node then answers.
    wait_health "$port" 120 || { echo "bench: $t did not become healthy, see $log" >&2; return 1; }
    server_pid=$(cat "$pidfile")
  else
    (cd "$node_dir" && exec env "${node_env[@]}" setsid "${node_cmd[@]}" >"$log" 2>&1) &
    server_pid=$!
    wait_health "$port" 120 || { echo "bench: $t did not become healthy, see $log" >&2; return 1; }
  fi
  [ "$scenario" = restart ] || return 0
  (cd "$node_dir" && exec env "${b_env[@]}" setsid "${node_cmd[@]}" >"$out/server-$t-b.log" 2>&1) &
  other_pids+=($!)
  wait_health "$bport" 120 || { echo "bench: $t: node B did not become healthy, see $out/server-$t-b.log" >&2; return 1; }
  # The generator starts node A again with the same settings; the script's first line is the pid.
  if [ -n "$held" ]; then
    {
      echo '#!/usr/bin/env bash'
      printf 'old=$(cat %q)\n' "$pidfile"
      printf 'echo start >%q\n' "$fifo"
      printf 'until [ -s %q ] && [ "$(cat %q)" != "$old" ]; do sleep 0.01; done\n' "$pidfile" "$pidfile"
      printf 'cat %q\n' "$pidfile"
    } >"$start_script"
  else
    {
      echo '#!/usr/bin/env bash'
      echo 'echo $$'
      printf 'cd %q && exec env' "$node_dir"
      printf ' %q' "${node_env[@]}" setsid "${node_cmd[@]}"
      printf ' >>%q 2>&1\n' "$log"
    } >"$start_script"
  fi
  extra+=(--outage-port "$bport" --start-script "$start_script")
}
# --- end node A and B ---

missing_reason=""
files=()
for t in $targets; do
  files+=("$out/$scenario-$t.json")
  extra=()
  log="$out/server-$t.log"
  db_env=()
  if [ "$scenario" = restart ] && [ "$t" = ceiling ]; then
    reason="not applicable — restart times the clients' return until notifications:sync answers, which the ceiling does not serve"
    echo "bench: $t: $reason" >&2
    missing+=(--missing "$t=$reason")
    continue
  fi
  if [ "$scenario" = webhooks ] && [ "$t" != herald ]; then
    reason="not applicable — no outbox, dispatcher or webhook channel (webhooks measures Herald only)"
    echo "bench: $t: $reason" >&2
    missing+=(--missing "$t=$reason")
    continue
  fi
  if [ "$scenario" = emails ] || [ "$scenario" = push ]; then
    if [ "$t" != herald ]; then
      reason="not applicable — no outbox, dispatcher or $scenario channel ($scenario measures Herald only)"
      echo "bench: $t: $reason" >&2
      missing+=(--missing "$t=$reason")
      continue
    fi
  fi
  if [ "$scenario" = pipeline ] || [ "$scenario" = webhooks ] || [ "$scenario" = restart ] || [ "$scenario" = emails ] || [ "$scenario" = push ] || [ -n "$cluster" ]; then
    # A new empty database per target: no target inherits another's rows or indexes.
    database="herald_bench_${t//-/_}_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    if ! createdb -h "$pg_host" -p "$pg_port" -U "$pg_user" "$database" >&2; then
      echo "bench: $t: cannot create a PostgreSQL database on $pg_host:$pg_port (createdb), skipped" >&2
      database=""
      continue
    fi
    db_env=(DATABASE_URL="postgres://$pg_user@$pg_host:$pg_port/$database")
  fi
  case "$t" in
    herald)
      if ! (cd "$root" && ./herald help serve >/dev/null 2>&1); then
        missing_reason="not yet run — gateway not merged (\`herald serve\` is not on this branch)"
        missing+=(--missing "herald=$missing_reason")
        echo "bench: herald: $missing_reason" >&2
        stop_server
        continue
      fi
      port=$(free_port)
      data=$(mktemp -d)
      if [ "$scenario" = webhooks ]; then
        db_env+=(WEBHOOK_SIGNING_SECRET="$WEBHOOK_SIGNING_SECRET" ALLOW_HTTP_WEBHOOKS=true)
        extra=(--database-url "postgres://$pg_user@$pg_host:$pg_port/$database")
      fi
      if [ "$scenario" = emails ] || [ "$scenario" = push ]; then
        # The provider runs inside the generator, on a port chosen here and given to both sides.
        pport=$(free_port)
        extra=(--database-url "postgres://$pg_user@$pg_host:$pg_port/$database")
        if [ "$scenario" = emails ]; then
          db_env+=(SMTP_URL="smtp://127.0.0.1:$pport" EMAIL_FROM="Herald Bench <bench@herald.example>" RATE_LIMIT_EMAIL_PER_HOUR=0)
          extra+=(--smtp-port "$pport")
        else
          account="$data/fcm-service-account.json"
          "${java[@]}" -cp "$jar" dev.herald.bench.channel.ServiceAccountFile "$account"
          db_env+=(FCM_SERVICE_ACCOUNT_FILE="$account" FCM_BASE_URL="http://127.0.0.1:$pport"
            FCM_TOKEN_URL="http://127.0.0.1:$pport/token" RATE_LIMIT_PUSH_PER_HOUR=0)
          extra+=(--fcm-port "$pport" --fcm-service-account "$account")
        fi
      fi
      # MAX_CONNECTIONS: the default (10 000) is below what idle holds; ~19 900 is what one process can.
      # MAX_CONNECTIONS_PER_IP=0: every bench client comes from 127.0.0.1 (the default caps it at 500).
      gport=$(free_port)
      node_dir="$root" node_cmd=(./herald serve)
      node_env=("${db_env[@]}" SOCKETIO_PORT="$port" GRPC_PORT="$gport" HERALD_DATA_DIR="$data" LOG_LEVEL=warn
        MAX_CONNECTIONS="${HERALD_MAX_CONNECTIONS:-19900}" MAX_CONNECTIONS_PER_IP=0)
      if [ "$scenario" = restart ]; then
        bport=$(free_port) bdata=$(mktemp -d)
        b_env=("${db_env[@]}" SOCKETIO_PORT="$bport" GRPC_PORT="$(free_port)" HERALD_DATA_DIR="$bdata" LOG_LEVEL=warn)
      fi
      start_node herald || { stop_server; continue; }
      # Herald serves the seed-000 gRPC API: unicast publishes with SendToUser there, unless
      # BENCH_UNICAST_REST=1 asks for the REST route the reference and the ceiling are sent.
      [ "$scenario" = unicast ] && [ -z "${BENCH_UNICAST_REST:-}" ] && extra=(--grpc-port "$gport")
      ;;
    herald-*-*)
      start_cluster "$t" || { stop_server; continue; }
      ;;
    reference)
      ref="$root/bench/reference-socketio"
      command -v node >/dev/null || { echo "bench: reference: node not found, skipped" >&2; stop_server; continue; }
      # npm records what it installed in node_modules/.package-lock.json: reinstall when the lock is newer.
      if [ ! -f "$ref/node_modules/.package-lock.json" ] || [ "$ref/package-lock.json" -nt "$ref/node_modules/.package-lock.json" ]; then
        (cd "$ref" && npm ci --no-audit --no-fund >&2)
      fi
      port=$(free_port)
      node_dir="$ref" node_cmd=(node --expose-gc server.js) node_env=("${db_env[@]}" PORT="$port")
      if [ "$scenario" = restart ]; then bport=$(free_port) b_env=("${db_env[@]}" PORT="$bport"); fi
      extra=(--memory-url "http://127.0.0.1:$port/bench/memory")
      start_node reference || { stop_server; continue; }
      ;;
    ceiling)
      (exec env "${db_env[@]}" setsid "${java[@]}" -jar "$jar" ceiling --port 0 >"$log" 2>&1) &
      server_pid=$!
      port=$(wait_line "$log" 60) || { echo "bench: ceiling did not start, see $log" >&2; stop_server; continue; }
      ;;
    *) echo "bench: unknown target $t" >&2; exit 2 ;;
  esac
  echo "bench: $scenario against $t (port $port, pid $server_pid)" >&2
  "${java[@]}" -jar "$jar" run "$scenario" --target "$t" --port "$port" --server-pid "$server_pid" \
    --out "$out" "${extra[@]}" "$@" >/dev/null || echo "bench: $scenario against $t failed" >&2
  stop_server
done

"${java[@]}" -jar "$jar" compare "${files[@]}" --missing-reason "${missing_reason:-not run}" "${missing[@]}" --out "$out/compare.md"
echo "bench: results in $out" >&2
