// Token lifecycle with the official socket.io-client 4.8 (driven by TokenLifecycleInteropTest):
// auth:refresh keeps a session past its first token's exp; without it, token:expiring, then
// error TOKEN_EXPIRED "Token expired" and a server disconnect; an expired token at connect is
// refused with connect_error "Token expired". Env: HERALD_URL, JWT_SECRET, RUN (unique user suffix),
// NOTICE_SECONDS (the server's TOKEN_EXPIRING_NOTICE_SECONDS).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { io } from "socket.io-client";
import WebSocket from "ws";

const url = process.env.HERALD_URL;
const run = process.env.RUN;
const notice = Number(process.env.NOTICE_SECONDS);

// HS256 tokens minted here, the moment they are needed, so their lifetimes are the test's own.
function token(user, lifetimeSeconds, team = "team-" + run) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ user_id: user, team_id: team, iat: now, exp: now + lifetimeSeconds })}`;
  return `${body}.${createHmac("sha256", process.env.JWT_SECRET).update(body).digest("base64url")}`;
}
function connect(tok, opts = {}) {
  return io(url, { forceNew: true, reconnection: false, timeout: 5000, auth: { token: tok }, transports: ["websocket"], ...opts });
}
function once(emitter, event, ms = 15000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    emitter.once(event, (first) => { clearTimeout(t); resolve(first); });
  });
}

test("without a refresh: token:expiring, then error TOKEN_EXPIRED and a server disconnect", async () => {
  const s = connect(token("bob-" + run, notice + 2));
  // Listening from the start: events of one packet batch are dispatched before an await resumes.
  const [ready, expiringSoon, errorSoon, disconnectSoon] = ["connection_ready", "token:expiring", "error", "disconnect"].map((e) => once(s, e));
  try {
    await ready;
    const expiring = await expiringSoon;
    assert.ok(expiring.expiresAt, "token:expiring says when");
    assert.ok(expiring.expiresIn <= notice, `expiresIn ${expiring.expiresIn} within the notice`);
    const [error, reason] = await Promise.all([errorSoon, disconnectSoon]);
    assert.deepEqual({ code: error.code, message: error.message }, { code: "TOKEN_EXPIRED", message: "Token expired" });
    assert.equal(reason, "io server disconnect");
  } finally {
    s.disconnect();
  }
});

test("auth:refresh before expiry keeps the session past the first token's exp", async () => {
  const user = "alice-" + run;
  const s = connect(token(user, notice + 2));
  // A second longer, never refreshed: its expiry marks a moment after alice's first token lapsed.
  const marker = connect(token("marker-" + run, notice + 3));
  const expiringSoon = once(s, "token:expiring");
  const markerGone = once(marker, "disconnect");
  try {
    await Promise.all([once(s, "connection_ready"), once(marker, "connection_ready")]);
    await expiringSoon;
    const fresh = token(user, 3600);
    const ack = await s.timeout(5000).emitWithAck("auth:refresh", { token: fresh });
    assert.equal(ack.ok, true);
    assert.ok(Date.parse(ack.expiresAt) > Date.now() + 3000 * 1000, `new expiry ${ack.expiresAt}`);
    const other = await s.timeout(5000).emitWithAck("auth:refresh", { token: token("mallory-" + run, 3600) });
    assert.equal(other.error.code, "FORBIDDEN");
    await markerGone;
    assert.equal(s.connected, true, "still connected after the first token's exp");
    const stillServed = await s.timeout(5000).emitWithAck("room:join", "channel:news-" + run);
    assert.equal(stillServed.ok, true);
  } finally {
    s.disconnect();
    marker.disconnect();
  }
});

test("an expired token at connect is refused with connect_error 'Token expired'", async () => {
  const s = connect(token("carol-" + run, -120));
  try {
    const err = await once(s, "connect_error");
    assert.equal(err.message, "Token expired");
    assert.equal(err.data.code, "TOKEN_EXPIRED");
  } finally {
    s.disconnect();
  }
});

test("/ws: auth:refresh is acked with the new expiry; without one the socket gets TOKEN_EXPIRED and closes", async () => {
  const ws = new WebSocket(url.replace(/^http/, "ws") + "/ws?token=" + token("dave-" + run, notice + 2));
  const frames = [];
  const waiters = [];
  ws.on("message", (m) => { const f = JSON.parse(m.toString()); frames.push(f); waiters.forEach((w) => w()); });
  const frame = (pred, ms = 15000) => new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("no matching frame within " + ms + " ms")), ms);
    const check = () => { const f = frames.find(pred); if (f) { clearTimeout(t); resolve(f); } };
    waiters.push(check); check();
  });
  const closed = new Promise((resolve) => ws.on("close", (code) => resolve(code)));
  await frame((f) => f.event === "connection_ready");
  ws.send(JSON.stringify({ event: "auth:refresh", id: 1, data: { token: token("dave-" + run, notice + 4) } }));
  const ack = await frame((f) => f.event === "ack" && f.id === 1);
  assert.equal(ack.data.ok, true);
  await frame((f) => f.event === "token:expiring");
  const error = await frame((f) => f.event === "error" && f.data.code === "TOKEN_EXPIRED");
  assert.equal(error.data.message, "Token expired");
  assert.equal(await closed, 4401);
});
