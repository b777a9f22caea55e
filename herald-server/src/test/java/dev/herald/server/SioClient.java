package dev.herald.server;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Java Socket.IO client on one transport, recording every event it receives. */
final class SioClient implements AutoCloseable {
    record Received(String event, Object data) {}

    final Socket socket;
    final BlockingQueue<Received> events = new LinkedBlockingQueue<>();
    final CountDownLatch disconnected = new CountDownLatch(1);

    private SioClient(Socket socket) {
        this.socket = socket;
    }

    static SioClient connect(int port, String token, String transport) throws InterruptedException {
        IO.Options options = IO.Options.builder()
                .setTransports(new String[] {transport.equals("polling") ? Polling.NAME : WebSocket.NAME})
                .setUpgrade(false).setForceNew(true).setReconnection(false).setAuth(Map.of("token", token)).build();
        SioClient client = new SioClient(IO.socket(URI.create("http://127.0.0.1:" + port), options));
        CountDownLatch ready = new CountDownLatch(1);
        client.socket.onAnyIncoming(args -> client.events.add(new Received((String) args[0], args.length > 1 ? args[1] : null)));
        client.socket.on("connection_ready", args -> ready.countDown());
        client.socket.on(Socket.EVENT_DISCONNECT, args -> client.disconnected.countDown());
        client.socket.connect();
        if (!ready.await(10, TimeUnit.SECONDS)) throw new AssertionError("no connection_ready over " + transport);
        return client;
    }

    String id() {
        return socket.id();
    }

    /** The data of the next event with this name, skipping others; fails after 5 s. */
    Object next(String event) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Received r = events.poll(100, TimeUnit.MILLISECONDS);
            if (r != null && r.event().equals(event)) return r.data();
        }
        throw new AssertionError("no '" + event + "' within 5 s");
    }

    List<String> namesSoFar() {
        return events.stream().map(Received::event).toList();
    }

    @Override
    public void close() {
        socket.disconnect();
        socket.close();
    }
}
