'use strict';
// One herald-bench worker process whose connections are the official socket.io-client 4.8, as a
// user's browser or Node service would open them. It speaks the Java generator's worker protocol
// (dev.herald.bench.worker.Worker): the WorkerSpec as JSON in argv[2]; commands on stdin (`stop`:
// open no more connections, `reset`: forget deliveries so far, `finish`: last report and exit);
// a WorkerReport JSON line on stdout every 200 ms, the last one with an HdrHistogram of latencies
// in microseconds (compressed, base64: the Java generator decodes it). Exits when stdin closes.
//
// Latency: the publisher stamps `"ts": System.nanoTime()` into each message; Java's nanoTime and
// process.hrtime are both CLOCK_MONOTONIC on Linux, so arrival minus stamp is publish→client.
const crypto = require('node:crypto');
const readline = require('node:readline');
const { io } = require('socket.io-client');
const hdr = require('hdr-histogram-js');

const spec = JSON.parse(process.argv[2]);
if (!['socketio', 'socket.io', 'sio', 'official'].includes(String(spec.protocol).toLowerCase())) {
  console.error(`official-client worker: protocol ${spec.protocol} is not Socket.IO`);
  process.exit(2);
}

const LONG_MAX = '9223372036854775807';
const LONG_MIN = '-9223372036854775808';
const stats = {
  attempts: 0, authenticated: 0, open: 0, failed: 0, dropped: 0, received: 0,
  firstAttemptNanos: null, lastAuthNanos: null, firstReceiveNanos: null, lastReceiveNanos: null,
  failures: new Map(),
  // restart scenario: reconnections after the first connect, syncs answered after them, and
  // distinct notifications created while the node was down (data.outage) that reached a client.
  reconnected: 0, resynced: 0, outageReceived: 0,
};
const outageSeen = new Set();
const newHistogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
let latency = newHistogram();
const now = () => process.hrtime.bigint();
const minOf = (a, v) => (a === null || v < a ? v : a);
const maxOf = (a, v) => (a === null || v > a ? v : a);

function b64url(s) {
  return Buffer.from(s).toString('base64url');
}

// The same claims as the Java generator's Tokens: sub, user_id, team_id, iat, exp (+2 h), HS256.
function mint(index) {
  const iat = Math.floor(Date.now() / 1000);
  const user = `u${index}`;
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ sub: user, user_id: user, team_id: spec.team, iat, exp: iat + 7200 }));
  const sig = crypto.createHmac('sha256', Buffer.from(spec.secret, 'utf8')).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

function failure(reason) {
  stats.failed++;
  stats.failures.set(reason, (stats.failures.get(reason) || 0) + 1);
}

// The stamp may sit at any depth: a bench payload, or the `data` of a stored notification.
function stampOf(value, depth = 0) {
  if (value === null || typeof value !== 'object' || depth > 3) return null;
  if (typeof value.ts === 'number' || typeof value.ts === 'string') return BigInt(value.ts);
  for (const v of Object.values(value)) {
    const found = stampOf(v, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

const url = `http://${spec.host}:${spec.port}`;
const sockets = new Set();
let stopped = false;
let inFlight = 0;
let next = 0;

// A notification created while the node was down, however it arrives: live, in
// notifications:pending on connect, or in the answer to notifications:sync.
function sawNotifications(user, list) {
  for (const n of Array.isArray(list) ? list : []) {
    if (n && n.data && n.data.outage === true && !outageSeen.has(`${user}/${n.id}`)) {
      outageSeen.add(`${user}/${n.id}`);
      stats.outageReceived++;
    }
  }
}

function connect(index, onSettled) {
  stats.attempts++;
  stats.firstAttemptNanos = minOf(stats.firstAttemptNanos, now());
  inFlight++;
  let settled = false;
  let authenticated = false;
  const settle = () => {
    if (settled) return;
    settled = true;
    inFlight--;
    onSettled(socket);
  };
  // forceNew: one Manager (one Engine.IO connection) per socket, as separate browsers would have.
  // reconnect (the restart scenario): the client's own reconnection, with its default backoff
  // (1 s doubling to 5 s, ±50 % jitter), as an app leaves it.
  const reconnecting = spec.mode === 'reconnect';
  const socket = io(url, {
    transports: ['websocket'], forceNew: true, reconnection: reconnecting, timeout: 60_000, auth: { token: mint(index) },
  });
  const user = `u${index}`;
  let lostAt = null;
  sockets.add(socket);
  if (reconnecting) {
    socket.on('notifications:pending', (p) => sawNotifications(user, p && p.notifications));
    socket.on('notification', (n) => sawNotifications(user, [n]));
  }
  socket.on('connect', () => {
    if (authenticated && reconnecting) {
      // Back after an outage: what an app does on reconnect is ask for what it missed.
      stats.reconnected++;
      stats.open++;
      const since = new Date((lostAt || Date.now()) - 1000).toISOString();
      socket.timeout(30_000).emit('notifications:sync', { since, limit: 1000 }, (err, answer) => {
        if (err) {
          failure('sync timed out');
          return;
        }
        sawNotifications(user, answer && answer.notifications);
        stats.resynced++;
      });
      return;
    }
    authenticated = true;
    stats.authenticated++;
    stats.open++;
    stats.lastAuthNanos = maxOf(stats.lastAuthNanos, now());
    settle();
  });
  socket.on('connect_error', (err) => {
    // While reconnecting, a refused attempt is the outage itself; the client tries again.
    if (authenticated && reconnecting) return;
    failure(err && err.message ? `connect_error: ${err.message}` : 'connect_error');
    sockets.delete(socket);
    socket.close();
    settle();
  });
  socket.on('disconnect', (reason) => {
    if (!authenticated) return;
    stats.open--;
    lostAt = Date.now();
    // Ours ("io client disconnect") is a churn cycle or the end; anything else is a drop.
    if (reason !== 'io client disconnect') stats.dropped++;
    if (!reconnecting) sockets.delete(socket);
  });
  socket.on(spec.event, (...args) => {
    const t = now();
    stats.received++;
    stats.firstReceiveNanos = minOf(stats.firstReceiveNanos, t);
    stats.lastReceiveNanos = maxOf(stats.lastReceiveNanos, t);
    const ts = stampOf(args[0]);
    if (ts !== null) {
      const micros = Number((t - ts) / 1000n);
      latency.recordValue(Math.min(60_000_000, Math.max(1, micros)));
    }
    // An event sent with an ack callback is acknowledged, as a client app would.
    const last = args[args.length - 1];
    if (typeof last === 'function') last({ ok: true });
  });
  return socket;
}

// hold: open users firstUser .. firstUser+count-1, at most `concurrency` handshakes in flight.
function hold() {
  const end = spec.firstUser + spec.count;
  const pump = () => {
    while (!stopped && inFlight < spec.concurrency && next < end) connect(next++, pump);
  };
  next = spec.firstUser;
  pump();
}

// churn: connect, authenticate, close, over and over, cycling over the worker's users.
function churn() {
  const cycle = () => {
    if (stopped) return;
    const index = spec.firstUser + (next++ % spec.count);
    connect(index, (socket) => {
      if (socket.connected) socket.disconnect();
      sockets.delete(socket);
      setImmediate(cycle);
    });
  };
  for (let i = 0; i < spec.concurrency; i++) cycle();
}

function nanos(v, empty) {
  return v === null ? empty : v.toString();
}

function report(last) {
  const line = {
    last, attempts: stats.attempts, authenticated: stats.authenticated, open: stats.open, failed: stats.failed,
    dropped: stats.dropped, received: stats.received,
    // Java longs: as strings, which Jackson reads into long (JSON numbers would lose precision here).
    firstAttemptNanos: nanos(stats.firstAttemptNanos, LONG_MAX), lastAuthNanos: nanos(stats.lastAuthNanos, LONG_MIN),
    firstReceiveNanos: nanos(stats.firstReceiveNanos, LONG_MAX), lastReceiveNanos: nanos(stats.lastReceiveNanos, LONG_MIN),
    failures: Object.fromEntries([...stats.failures.entries()].sort()),
    histogram: last ? hdr.encodeIntoCompressedBase64(latency) : null,
    reconnected: stats.reconnected, resynced: stats.resynced, outageReceived: stats.outageReceived,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const ticker = setInterval(() => report(false), 200);
if (spec.mode === 'hold' || spec.mode === 'reconnect') hold();
else churn();

let finished = false;
function finish() {
  if (finished) return;
  finished = true;
  stopped = true;
  clearInterval(ticker);
  report(true);
  for (const s of sockets) s.disconnect();
  // Let the last report reach the pipe before exiting.
  process.stdout.write('', () => process.exit(0));
}

const commands = readline.createInterface({ input: process.stdin });
commands.on('line', (line) => {
  if (line === 'stop') stopped = true;
  if (line === 'reset') {
    stats.received = 0;
    stats.firstReceiveNanos = null;
    stats.lastReceiveNanos = null;
    latency = newHistogram();
  }
  if (line === 'finish') finish();
});
commands.on('close', finish);
