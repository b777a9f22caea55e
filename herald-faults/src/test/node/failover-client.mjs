// A user's app on the official socket.io-client 4.8, behind the balancer, while a Herald node dies
// (driven by BalancedFailoverTest). Each client is its own Manager with the client's default
// reconnection (1 s doubling to 5 s, randomization 0.5) unless told `reconnection: false`. The app
// keeps the id of the newest notification it saw and, whenever a session is ready again, asks
// `notifications:sync {afterId}` for what it missed, as DESIGN §3 has clients do.
//
// Env: HERALD_URL (the balancer), CLIENTS (JSON [{name, token, reconnection}]).
// Stdout: one JSON line per thing seen: {client, event, at (epoch ms), ...}. Ends when stdin closes.
import { io } from "socket.io-client";

const url = process.env.HERALD_URL;
const clients = JSON.parse(process.env.CLIENTS);
const sockets = [];

function report(client, event, fields = {}) {
  process.stdout.write(JSON.stringify({ client, event, at: Date.now(), ...fields }) + "\n");
}

for (const c of clients) {
  const options = { forceNew: true, transports: ["websocket"], auth: { token: c.token } };
  if (c.reconnection === false) options.reconnection = false;
  const s = io(url, options);
  sockets.push(s);
  let lastId = null;
  s.on("connect", () => report(c.name, "connect", { socketId: s.id }));
  s.on("connect_error", (e) => report(c.name, "connect_error", { message: e.message }));
  s.on("disconnect", (reason) => report(c.name, "disconnect", { reason }));
  s.io.on("reconnect_attempt", (attempt) => report(c.name, "reconnect_attempt", { attempt }));
  s.on("notification", (n) => {
    lastId = n.id;
    report(c.name, "notification", { id: n.id });
  });
  s.on("notifications:pending", (p) => report(c.name, "pending", { ids: p.notifications.map((n) => n.id), hasMore: p.hasMore }));
  s.on("connection_ready", async (ready) => {
    report(c.name, "connection_ready", { socketId: ready.socketId, serverTime: ready.serverTime });
    if (lastId === null) return;
    const afterId = lastId;
    report(c.name, "sync_sent", { afterId });
    try {
      const page = await s.timeout(10000).emitWithAck("notifications:sync", { afterId });
      if (page.error) return report(c.name, "sync_error", { error: page.error });
      const ids = page.notifications.map((n) => n.id);
      if (ids.length > 0) lastId = ids[ids.length - 1];
      report(c.name, "synced", { afterId, ids, hasMore: page.hasMore });
    } catch (e) {
      report(c.name, "sync_error", { error: String(e) });
    }
  });
}

process.stdin.on("end", () => {
  for (const s of sockets) s.disconnect();
  process.exit(0);
});
process.stdin.resume();
