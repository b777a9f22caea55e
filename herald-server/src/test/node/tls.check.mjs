// The official socket.io-client 4.8 and ws over TLS against Herald with a self-signed certificate
// (driven by TlsEndToEndTest). Env: HERALD_URL (https://…), CA_FILE (the certificate to trust), TOKEN.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { get } from "node:https";
import { io } from "socket.io-client";
import WebSocket from "ws";

const url = process.env.HERALD_URL;
const ca = readFileSync(process.env.CA_FILE);
const token = process.env.TOKEN;

function once(emitter, event, ms = 10000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    emitter.once(event, (first) => { clearTimeout(t); resolve(first); });
  });
}

for (const transports of [["websocket"], ["polling"], ["polling", "websocket"]]) {
  test(`wss/https with the trusted certificate: ${transports.join(" then ")}`, async () => {
    const s = io(url, { forceNew: true, reconnection: false, auth: { token }, transports, ca });
    const ready = once(s, "connection_ready");
    try {
      assert.equal((await ready).userId, "tls-user");
      const ack = await s.timeout(5000).emitWithAck("room:join", "channel:tls");
      assert.equal(ack.ok, true);
    } finally {
      s.disconnect();
    }
  });
}

test("a client that does not trust the certificate cannot connect", async () => {
  const s = io(url, { forceNew: true, reconnection: false, auth: { token }, transports: ["websocket"] });
  try {
    const err = await once(s, "connect_error");
    assert.ok(err, "connect_error");
  } finally {
    s.disconnect();
  }
});

test("plain WebSocket at wss:///ws", async () => {
  const ws = new WebSocket(url.replace(/^https/, "wss") + "/ws?token=" + token, { ca });
  const first = await once(ws, "message");
  assert.equal(JSON.parse(first.toString()).event, "connection_ready");
  ws.close();
});

test("https REST: /health answers over TLS", async () => {
  const body = await new Promise((resolve, reject) => {
    get(url + "/health", { ca }, (res) => {
      let data = "";
      res.on("data", (c) => (data += c));
      res.on("end", () => resolve({ status: res.statusCode, data }));
    }).on("error", reject);
  });
  assert.equal(body.status, 200);
});
