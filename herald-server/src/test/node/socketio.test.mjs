// The official socket.io-client 4.8, unchanged, against a running Herald.
// Env: HERALD_URL, HERALD_TOKENS (JSON: alice, bob, carol, expired, badsig, none, nouser), HERALD_API_KEY.
import { test } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";

const url = process.env.HERALD_URL;
const tokens = JSON.parse(process.env.HERALD_TOKENS);
const apiKey = process.env.HERALD_API_KEY;

function connect(token, opts = {}) {
  return io(url, { forceNew: true, reconnection: false, timeout: 5000, auth: { token }, ...opts });
}
function once(socket, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    socket.once(event, (first) => { clearTimeout(t); resolve(first); });
  });
}
async function ready(socket) {
  const r = await once(socket, "connection_ready");
  return r;
}
const transports = {
  "websocket only": { transports: ["websocket"] },
  "polling only": { transports: ["polling"] },
  "polling then upgrade": { transports: ["polling", "websocket"] },
};

for (const [name, opts] of Object.entries(transports)) {
  test(`${name}: connects, is greeted and gets acks`, async () => {
    const s = connect(tokens.alice, opts);
    try {
      const hello = await ready(s);
      assert.equal(hello.userId, "alice");
      assert.equal(hello.teamId, "team-1");
      assert.equal(hello.socketId, s.id);
      const ack = await s.timeout(5000).emitWithAck("room:join", "channel:news");
      assert.deepEqual(ack, { ok: true, room: "channel:news" });
      if (name === "polling then upgrade") {
        if (s.io.engine.transport.name !== "websocket") await once(s.io.engine, "upgrade");
        assert.equal(s.io.engine.transport.name, "websocket");
        const again = await s.timeout(5000).emitWithAck("subscribe", { channels: ["orders"] });
        assert.equal(again.ok, true);
      }
    } finally {
      s.disconnect();
    }
  });
}

test("a message sent to a user reaches every tab, on either transport", async () => {
  const ws = connect(tokens.bob, { transports: ["websocket"] });
  const polling = connect(tokens.bob, { transports: ["polling"] });
  try {
    await Promise.all([ready(ws), ready(polling)]);
    const got = Promise.all([once(ws, "hello"), once(polling, "hello")]);
    const res = await fetch(`${url}/api/v1/realtime/users/bob/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ eventType: "hello", payload: { n: 1, text: "héllo ✓" } }),
    });
    assert.equal(res.status, 200, await res.text());
    const [a, b] = await got;
    assert.deepEqual(a, { n: 1, text: "héllo ✓" });
    assert.deepEqual(b, { n: 1, text: "héllo ✓" });
  } finally {
    ws.disconnect();
    polling.disconnect();
  }
});

for (const [token, code] of [["expired", "TOKEN_EXPIRED"], ["badsig", "INVALID_TOKEN"], ["none", "INVALID_TOKEN"], ["nouser", "INVALID_TOKEN"], [undefined, "AUTH_FAILED"]]) {
  test(`refuses ${token ?? "a missing"} token with ${code}`, async () => {
    const s = connect(token === undefined ? undefined : tokens[token], { transports: ["websocket"] });
    try {
      const err = await once(s, "connect_error");
      assert.equal(err.data?.code, code, JSON.stringify(err));
      assert.ok(err.message.length > 0);
    } finally {
      s.disconnect();
    }
  });
}

for (const [name, opts] of Object.entries({ websocket: { transports: ["websocket"] }, polling: { transports: ["polling"] } })) {
  test(`${name}: a 1 MB token in the auth payload gets connect_error INVALID_TOKEN`, async () => {
    const s = connect("x".repeat(1024 * 1024), opts);
    try {
      const err = await once(s, "connect_error");
      assert.equal(err.data?.code, "INVALID_TOKEN", `${err.message} ${JSON.stringify(err.data)}`);
    } finally {
      s.disconnect();
    }
  });
}

test("a 20 KB token in the query reaches the authenticator and gets connect_error INVALID_TOKEN", async () => {
  const s = connect(undefined, { transports: ["websocket"], query: { token: "x".repeat(20 * 1024) } });
  try {
    const err = await once(s, "connect_error");
    assert.equal(err.data?.code, "INVALID_TOKEN", `${err.message} ${JSON.stringify(err.data)}`);
  } finally {
    s.disconnect();
  }
});

test("a refused room join is acked with FORBIDDEN", async () => {
  const s = connect(tokens.alice, { transports: ["websocket"] });
  try {
    await ready(s);
    const ack = await s.timeout(5000).emitWithAck("room:join", "team:someone-elses");
    assert.equal(ack.error.code, "FORBIDDEN");
  } finally {
    s.disconnect();
  }
});

test("teammates see each other come online and go offline", async () => {
  const watcher = connect(tokens.alice, { transports: ["websocket"] });
  try {
    await ready(watcher);
    const online = once(watcher, "presence:user:online");
    const carolMate = connect(tokens.dave, { transports: ["websocket"] });
    await ready(carolMate);
    assert.equal(await online, "dave");
    const offline = once(watcher, "presence:user:offline");
    carolMate.disconnect();
    assert.equal(await offline, "dave");
  } finally {
    watcher.disconnect();
  }
});

test("a client event carrying a binary attachment is decoded and answered", async () => {
  const s = connect(tokens.alice, { transports: ["websocket"] });
  try {
    await ready(s);
    const ack = await s.timeout(5000).emitWithAck("room:join", { room: "channel:bin", blob: Buffer.from([1, 2, 3]) });
    assert.equal(ack.ok, true);
  } finally {
    s.disconnect();
  }
});

test("a client disconnected by the server is told so and can reconnect", async () => {
  const s = connect(tokens.erin, { transports: ["websocket"] });
  try {
    await ready(s);
    const gone = once(s, "disconnect");
    const why = once(s, "error");
    const res = await fetch(`${url}/api/v1/realtime/users/erin`, {
      method: "DELETE",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ reason: "maintenance" }),
    });
    assert.equal(res.status, 200, await res.text());
    assert.equal(await gone, "io server disconnect");
    assert.equal((await why).code, "SERVER_DISCONNECT");
    s.connect();
    const hello = await ready(s);
    assert.equal(hello.userId, "erin");
  } finally {
    s.disconnect();
  }
});

test("a sixth connection of one user disconnects the oldest", async () => {
  const sockets = [];
  try {
    for (let i = 0; i < 5; i++) {
      const s = connect(tokens.frank, { transports: ["websocket"] });
      sockets.push(s);
      await ready(s);
    }
    const oldestGone = once(sockets[0], "disconnect");
    const oldestTold = once(sockets[0], "error");
    const sixth = connect(tokens.frank, { transports: ["websocket"] });
    sockets.push(sixth);
    await ready(sixth);
    assert.equal(await oldestGone, "io server disconnect");
    assert.equal((await oldestTold).code, "TOO_MANY_CONNECTIONS");
    assert.ok(sixth.connected);
  } finally {
    sockets.forEach((s) => s.disconnect());
  }
});
