package dev.herald.gateway.conformance;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.deliver.live.ClientEvent;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.SessionHandler;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayServer;
import dev.herald.gateway.engineio.EngineListener;
import dev.herald.gateway.engineio.EnginePacket;
import dev.herald.gateway.engineio.EngineSocket;
import dev.herald.gateway.engineio.EngineSocketHandler;
import dev.herald.gateway.socketio.ConnectHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The server the public Engine.IO / Socket.IO protocol suites and the official client expect on
 * localhost:3000: a bare Engine.IO echo at /engine.io/ and, at /socket.io/, namespaces "/" and
 * "/custom" that emit "auth" with the CONNECT payload, echo "message" as "message-back" and ack
 * "message-with-ack" with its arguments. Run it with herald-gateway/conformance.sh.
 */
public final class ConformanceServer {
    /** The suites' settings: ping 300/200 ms, 1 MB payloads, 1 s connect timeout. */
    public static GatewayConfig config(int port) {
        return GatewayConfig.defaults().withPort(port)
                .withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(200))
                .withConnectTimeout(Duration.ofMillis(1000));
    }

    /** The suite's reference namespace behaviour. */
    public static final ConnectHandler ECHO_NAMESPACE = request -> {
        var socket = request.socket();
        socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
        socket.on("message-with-ack", (args, ack) -> {
            if (ack != null) ack.send(args.toArray());
        });
        request.accept();
        socket.emit("auth", request.auth());
    };

    /** Engine.IO echo: every message goes back as it came, text or binary. */
    public static final EngineListener ENGINE_ECHO = socket -> socket.handler(new EngineSocketHandler() {
        @Override
        public void onMessage(EngineSocket s, String text) {
            s.send(EnginePacket.message(text));
        }

        @Override
        public void onBinary(EngineSocket s, byte[] data) {
            s.send(EnginePacket.binary(data));
        }

        @Override
        public void onClose(EngineSocket s, DisconnectReason reason) {
        }
    });

    public static GatewayServer create(int port) {
        return create(config(port));
    }

    /** The same echo server with another configuration (e.g. relaxed heartbeats for slow tests). */
    public static GatewayServer create(GatewayConfig config) {
        SessionHandler unused = new SessionHandler() {
            public void open(Session session) { }
            public void ready(Session session) { }
            public void event(Session session, ClientEvent event) { }
            public void closed(Session session, DisconnectReason reason) { }
        };
        GatewayServer server = new GatewayServer(config, token -> {
            throw new HeraldException(ErrorCode.AUTH_FAILED, "no authentication in conformance mode");
        }, unused, List.of(), Clock.systemUTC());
        server.socketIo().namespace("/", ECHO_NAMESPACE).namespace("/custom", ECHO_NAMESPACE);
        server.mountEngineIo("/engine.io/", ENGINE_ECHO);
        return server;
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        GatewayServer server = create(port).start();
        System.out.println("conformance server listening on " + server.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdown(Duration.ofSeconds(2))));
        new CountDownLatch(1).await();
    }
}
