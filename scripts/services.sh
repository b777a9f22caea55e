#!/usr/bin/env bash
# Makes sure the services the test suite talks to are installed and running on localhost:
# PostgreSQL (5432, trust for 127.0.0.1), Redis (6379), NATS with JetStream (4222), Node.js
# (the official-client interop tests, the web build), chromium and nginx. Installs missing Debian packages and starts stopped
# services; does nothing when all is up. Safe to run repeatedly.
set -uo pipefail
SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"
updated=0
apt_install() {
  if [ "$updated" = 0 ]; then $SUDO apt-get update -qq >/dev/null; updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
port_open() { (echo > "/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }
wait_port() { for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done; echo "services: $2 did not come up on port $1" >&2; return 1; }

# PostgreSQL
if ! port_open 5432; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  ver=$(ls /etc/postgresql | sort -n | tail -1)
  hba="/etc/postgresql/$ver/main/pg_hba.conf"
  if [ -f "$hba" ] && ! grep -q "^host all all 127.0.0.1/32 trust" "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start
  wait_port 5432 PostgreSQL
fi
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" 2>/dev/null | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE test" >/dev/null 2>&1 || true

# Redis
if ! port_open 6379; then
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_port 6379 Redis
fi

# NATS with JetStream
if ! port_open 4222; then
  command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || apt_install nats-server
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_port 4222 NATS
fi

# Node.js and npm, for the official socket.io-client interop tests
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm

# Debian's chromium, for the widget and admin console tests (npm playwright-core drives it; no
# browser is ever downloaded), and nginx, whose `nginx -t` checks deploy/'s configuration.
[ -x /usr/bin/chromium ] || apt_install chromium
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx-light
exit 0
