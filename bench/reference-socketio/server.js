'use strict';
// The reference server for herald-bench: the npm socket.io 4.8 implementation the seeds name, with
// Herald's room semantics (join user:{user_id} and team:{team_id} from an HS256 JWT) and Herald's
// REST publish routes. A plain /ws endpoint (JSON frames {"event","data"}, token in ?token=) uses
// the same rooms. GET /bench/memory answers the heap after a full GC (start node with --expose-gc).
//
// Environment: PORT (0 = any free port; the chosen one is printed as "listening PORT"),
// JWT_SECRET (HS256 secret), HERALD_API_KEYS (comma-separated bearer keys for the REST routes).
const http = require('http');
const crypto = require('crypto');
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
  const match = req.method === 'POST' && ROUTE.exec(url.pathname);
  if (!match) return send(res, 404, { error: { code: 'NOT_FOUND', message: 'no such route' } });
  const auth = req.headers.authorization || '';
  const key = auth.startsWith('Bearer ') ? auth.slice(7) : req.headers['x-api-key'];
  if (apiKeys.length && !apiKeys.includes(key)) return send(res, 401, { error: { code: 'UNAUTHENTICATED', message: 'bad API key' } });
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    let body;
    try { body = JSON.parse(Buffer.concat(chunks).toString()); } catch (e) { body = null; }
    if (!body || typeof body.eventType !== 'string') {
      return send(res, 400, { error: { code: 'VALIDATION_ERROR', message: 'need eventType and payload' } });
    }
    const id = decodeURIComponent(match[2]);
    const room = match[1] === 'rooms' ? id : 'user:' + id;
    io.to(room).emit(body.eventType, body.payload);
    const members = wsRooms.get(room);
    if (members && members.size) {
      const frame = JSON.stringify({ event: body.eventType, data: body.payload });
      for (const ws of members) ws.send(frame);
    }
    send(res, 200, { ok: true });
  });
});

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

httpServer.listen(Number(process.env.PORT || 0), process.env.HOST || '127.0.0.1', () => {
  console.log('listening ' + httpServer.address().port);
});
process.on('SIGTERM', () => { io.close(); httpServer.close(() => process.exit(0)); });
