// A plain WebSocket client (seed 002) on /ws against a running Herald.
import { test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";

const wsUrl = process.env.HERALD_URL.replace(/^http/, "ws") + "/ws";
const tokens = JSON.parse(process.env.HERALD_TOKENS);

function open(url, options) {
  const ws = new WebSocket(url, options);
  const frames = [];
  const waiters = [];
  ws.on("message", (data) => {
    const frame = JSON.parse(data.toString());
    const i = waiters.findIndex((w) => w.match(frame));
    if (i >= 0) waiters.splice(i, 1)[0].resolve(frame);
    else frames.push(frame);
  });
  const next = (match, ms = 5000) => {
    const i = frames.findIndex(match);
    if (i >= 0) return Promise.resolve(frames.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const w = { match, resolve };
      waiters.push(w);
      setTimeout(() => reject(new Error("no matching frame")), ms);
    });
  };
  const closed = new Promise((resolve) => ws.on("close", (code) => resolve(code)));
  return { ws, next, closed, event: (name) => next((f) => f.event === name) };
}

test("connects with ?token= and is greeted with connection_ready", async () => {
  const c = open(`${wsUrl}?token=${tokens.alice}`);
  try {
    const ready = await c.event("connection_ready");
    assert.equal(ready.data.userId, "alice");
  } finally {
    c.ws.close();
  }
});

test("connects with an Authorization header and gets acks by id", async () => {
  const c = open(wsUrl, { headers: { authorization: `Bearer ${tokens.bob}` } });
  try {
    await c.event("connection_ready");
    c.ws.send(JSON.stringify({ event: "room:join", data: "channel:ws", id: 7 }));
    const ack = await c.next((f) => f.event === "ack" && f.id === 7);
    assert.deepEqual(ack.data, { ok: true, room: "channel:ws" });
  } finally {
    c.ws.close();
  }
});

test("connects with a first auth frame", async () => {
  const c = open(wsUrl);
  try {
    await new Promise((r) => c.ws.once("open", r));
    c.ws.send(JSON.stringify({ event: "auth", data: { token: tokens.alice } }));
    const ready = await c.event("connection_ready");
    assert.equal(ready.data.userId, "alice");
  } finally {
    c.ws.close();
  }
});

test("refuses an expired token with TOKEN_EXPIRED and closes", async () => {
  const c = open(`${wsUrl}?token=${tokens.expired}`);
  const err = await c.event("error");
  assert.equal(err.data.code, "TOKEN_EXPIRED");
  assert.equal(await c.closed, 4401);
});

test("refuses a 1 MB token in the auth frame with INVALID_TOKEN, then closes with 1009", async () => {
  const c = open(wsUrl);
  c.ws.on("open", () => c.ws.send(JSON.stringify({ event: "auth", data: { token: "x".repeat(1024 * 1024) } })));
  const err = await c.event("error");
  assert.equal(err.data.code, "INVALID_TOKEN");
  assert.equal(await c.closed, 1009);
});

test("answers a malformed frame with an error and keeps serving", async () => {
  const c = open(`${wsUrl}?token=${tokens.alice}`);
  try {
    await c.event("connection_ready");
    c.ws.send("this is not json");
    const err = await c.event("error");
    assert.ok(err.data.code);
    c.ws.send(JSON.stringify({ event: "subscribe", data: { channels: ["x"] }, id: "a1" }));
    const ack = await c.next((f) => f.event === "ack" && f.id === "a1");
    assert.equal(ack.data.ok, true);
  } finally {
    c.ws.close();
  }
});
