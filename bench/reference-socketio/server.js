'use strict';
// The reference server for herald-bench: the npm socket.io 4.8 implementation the seeds name, with
// Herald's room semantics (join user:{user_id} and team:{team_id} from an HS256 JWT) and Herald's
// REST publish routes. A plain /ws endpoint (JSON frames {"event","data"}, token in ?token=) uses
// the same rooms. GET /bench/memory answers the heap after a full GC (start node with --expose-gc).
// POST /api/v1/notifications stores one row per recipient in PostgreSQL (npm pg, a pool), then
// emits `notification` to each recipient's room and answers 202 {ids}: the usual Node way to do it.
// `notifications:sync {since, limit}` (with an ack) answers {ok, notifications, hasMore} from that
// table, oldest first: what an app asks for when it reconnects after an outage.
//
// Environment: PORT (0 = any free port; the chosen one is printed as "listening PORT"),
// JWT_SECRET (HS256 secret), HERALD_API_KEYS (comma-separated bearer keys for the REST routes),
// DATABASE_URL (postgres://…; without it POST /api/v1/notifications and notifications:sync fail).
// Under systemd socket activation (LISTEN_FDS ≥ 1 and LISTEN_PID this process, sd_listen_fds(3))
// the server listens on the inherited descriptor 3 instead of binding HOST:PORT.
const http = require('http');
const crypto = require('crypto');
const { Pool } = require('pg');
const { Server } = require('socket.io');
const { WebSocketServer } = require('ws');

const secret = process.env.JWT_SECRET || '';
const apiKeys = (process.env.HERALD_API_KEYS || '').split(',').map(s => s.trim()).filter(Boolean);
if (Buffer.byteLength(secret) < 32) {
  console.error('JWT_SECRET must be at least 32 bytes');
  process.exit(2);
}

function b64url(buf) {
  return buf.toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

// HS256 only, checked with a constant-time compare; exp enforced. Returns {id, team} or null.
function verify(token) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
    if (header.alg !== 'HS256') return null;
    const expected = Buffer.from(b64url(crypto.createHmac('sha256', secret).update(parts[0] + '.' + parts[1]).digest()));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
    if (claims.exp && claims.exp * 1000 < Date.now()) return null;
    const id = claims.user_id || claims.sub;
    return id ? { id: String(id), team: claims.team_id ? String(claims.team_id) : null } : null;
  } catch (e) {
    return null;
  }
}

// Plain-WebSocket members of each room (Socket.IO keeps its own rooms).
const wsRooms = new Map();
function wsJoin(ws, room) {
  let set = wsRooms.get(room);
  if (!set) wsRooms.set(room, (set = new Set()));
  set.add(ws);
  ws.on('close', () => { set.delete(ws); if (set.size === 0) wsRooms.delete(room); });
}

// PostgreSQL: the table a Node team would create for an inbox, with the index its reads need: a
// user's rows in time order (id breaks ties), which the sync below reads as one range scan.
const pool = process.env.DATABASE_URL ? new Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) : null;
const schemaReady = pool && pool.query(`
  CREATE TABLE IF NOT EXISTS notifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id text NOT NULL,
    type text NOT NULL,
    title text,
    message text,
    data jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX IF NOT EXISTS notifications_user_created ON notifications (user_id, created_at DESC, id DESC);`);
if (pool) {
  schemaReady.catch(e => { console.error('DATABASE_URL: cannot create the notifications table:', e.message); process.exit(2); });
  pool.on('error', e => console.error('idle PostgreSQL client failed:', e.message));
}

// Emits to a room's Socket.IO sockets and its plain-WebSocket members.
function emitTo(room, event, data) {
  io.to(room).emit(event, data);
  const members = wsRooms.get(room);
  if (members && members.size) {
    const frame = JSON.stringify({ event, data });
    for (const ws of members) ws.send(frame);
  }
}

function send(res, status, body) {
  const s = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) });
  res.end(s);
}

const ROUTE = /^\/api\/v1\/realtime\/(rooms|users)\/([^/]+)\/events$/;

const httpServer = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { status: 'ok' });
  if (req.method === 'GET' && url.pathname === '/bench/memory') {
    if (global.gc) { global.gc(); global.gc(); }
    const m = process.memoryUsage();
    return send(res, 200, { heapUsed: m.heapUsed, rss: m.rss, external: m.external, gc: !!global.gc });
  }
  const notifications = req.method === 'POST' && url.pathname === '/api/v1/notifications';
  const match = req.method === 'POST' && ROUTE.exec(url.pathname);
  if (!match && !notifications) return send(res, 404, { error: { code: 'NOT_FOUND', message: 'no such route' } });
  const auth = req.headers.authorization || '';
  const key = auth.startsWith('Bearer ') ? auth.slice(7) : req.headers['x-api-key'];
  if (apiKeys.length && !apiKeys.includes(key)) return send(res, 401, { error: { code: 'UNAUTHENTICATED', message: 'bad API key' } });
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    let body;
    try { body = JSON.parse(Buffer.concat(chunks).toString()); } catch (e) { body = null; }
    if (notifications) return createNotifications(body, res);
    if (!body || typeof body.eventType !== 'string') {
      return send(res, 400, { error: { code: 'VALIDATION_ERROR', message: 'need eventType and payload' } });
    }
    const id = decodeURIComponent(match[2]);
    emitTo(match[1] === 'rooms' ? id : 'user:' + id, body.eventType, body.payload);
    send(res, 200, { ok: true });
  });
});

// One notification as clients see it, live and in a sync answer.
function toJson(row) {
  return {
    id: row.id, type: row.type, title: row.title ?? null, message: row.message ?? null,
    data: row.data, createdAt: row.created_at.toISOString(),
  };
}

// notifications:sync {since (ISO-8601 or epoch ms), limit (1..1000, default 100)}: the user's
// notifications created after `since`, oldest first, in one query; {ok, notifications, hasMore}.
async function sync(user, request, ack) {
  const since = request && request.since;
  const limit = request && request.limit != null ? request.limit : 100;
  const from = typeof since === 'number' || typeof since === 'string' ? new Date(since) : since == null ? new Date(0) : null;
  if (!from || Number.isNaN(from.getTime())) {
    return ack({ error: { code: 'INVALID_ARGUMENT', message: 'since: must be an ISO-8601 time or epoch milliseconds' } });
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return ack({ error: { code: 'INVALID_ARGUMENT', message: 'limit: must be between 1 and 1000' } });
  }
  if (!pool) return ack({ error: { code: 'UNAVAILABLE', message: 'no database: start the reference with DATABASE_URL' } });
  let rows;
  try {
    ({ rows } = await pool.query(
      `SELECT id, type, title, message, data, created_at FROM notifications
       WHERE user_id = $1 AND created_at > $2 ORDER BY created_at, id LIMIT $3`, [user.id, from, limit + 1]));
  } catch (e) {
    console.error('sync failed:', e.message);
    return ack({ error: { code: 'INTERNAL', message: 'sync failed' } });
  }
  const more = rows.length > limit;
  ack({ ok: true, notifications: (more ? rows.slice(0, limit) : rows).map(toJson), hasMore: more });
}

// POST /api/v1/notifications {recipients, type, title, message, data}: one INSERT … RETURNING for
// every recipient, then a live `notification` to each recipient's room, then 202 {ids}.
async function createNotifications(body, res) {
  if (!pool) {
    return send(res, 503, { error: { code: 'UNAVAILABLE', message: 'no database: start the reference with DATABASE_URL' } });
  }
  const valid = body && Array.isArray(body.recipients) && body.recipients.length > 0
    && body.recipients.every(r => typeof r === 'string' && r.length > 0)
    && typeof body.type === 'string' && (typeof body.title === 'string' || typeof body.message === 'string')
    && (body.data === undefined || body.data === null || (typeof body.data === 'object' && !Array.isArray(body.data)));
  if (!valid) {
    return send(res, 400, { error: { code: 'VALIDATION_ERROR', message: 'need recipients, type, and a title or message' } });
  }
  const data = body.data || {};
  const values = [];
  const params = [];
  body.recipients.forEach((userId, i) => {
    const p = i * 5;
    values.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5})`);
    params.push(userId, body.type, body.title ?? null, body.message ?? null, data);
  });
  let rows;
  try {
    await schemaReady;
    ({ rows } = await pool.query(
      `INSERT INTO notifications (user_id, type, title, message, data) VALUES ${values.join(', ')}
       RETURNING id, user_id, created_at`, params));
  } catch (e) {
    console.error('insert failed:', e.message);
    return send(res, 500, { error: { code: 'INTERNAL', message: 'store failed' } });
  }
  for (const row of rows) {
    emitTo('user:' + row.user_id, 'notification', toJson({ ...row, type: body.type, title: body.title, message: body.message, data }));
  }
  send(res, 202, { ids: rows.map(r => r.id) });
}

const io = new Server(httpServer, {
  transports: ['websocket', 'polling'],
  pingInterval: 25000,
  pingTimeout: 60000,
  maxHttpBufferSize: 1e6,
  serveClient: false,
  destroyUpgrade: false, // /ws upgrades are handled below, not by engine.io
});

io.use((socket, next) => {
  const token = (socket.handshake.auth && socket.handshake.auth.token) || socket.handshake.query.token;
  const user = verify(token);
  if (!user) {
    const err = new Error('invalid token');
    err.data = { code: 'INVALID_TOKEN' };
    return next(err);
  }
  socket.data.user = user;
  next();
});

io.on('connection', socket => {
  const u = socket.data.user;
  socket.join('user:' + u.id);
  if (u.team) socket.join('team:' + u.team);
  socket.emit('connection_ready', { socketId: socket.id, userId: u.id, teamId: u.team, serverTime: Date.now() });
  socket.on('notifications:sync', (...args) => {
    const ack = args.pop();
    if (typeof ack === 'function') sync(u, args[0], ack);
  });
});

const wss = new WebSocketServer({ noServer: true, maxPayload: 1e6 });
httpServer.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname.startsWith('/socket.io/')) return; // engine.io's own upgrade listener takes these
  if (url.pathname !== '/ws') return socket.destroy();
  const user = verify(url.searchParams.get('token'));
  if (!user) {
    socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, ws => {
    wsJoin(ws, 'user:' + user.id);
    if (user.team) wsJoin(ws, 'team:' + user.team);
    ws.send(JSON.stringify({ event: 'connection_ready', data: { userId: user.id, teamId: user.team, serverTime: Date.now() } }));
  });
});

// Clients are let in once the table exists, so a sync never races the schema.
const activated = Number(process.env.LISTEN_FDS) >= 1 && process.env.LISTEN_PID === String(process.pid);
const where = activated ? { fd: 3 } : { port: Number(process.env.PORT || 0), host: process.env.HOST || '127.0.0.1' };
Promise.resolve(schemaReady).then(() => httpServer.listen(where, () => {
  console.log('listening ' + httpServer.address().port);
}));
process.on('SIGTERM', () => {
  io.close();
  httpServer.close(() => (pool ? pool.end() : Promise.resolve()).then(() => process.exit(0)));
});
