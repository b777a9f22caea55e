package dev.herald.bench.ceiling;

import dev.herald.bench.client.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ceiling: a bare Netty WebSocket server with the same endpoints as Herald and the reference
 * (Socket.IO-shaped frames at {@code /socket.io/}, JSON frames at {@code /ws}, the REST room and user
 * publish routes, {@code POST /api/v1/notifications} stored in PostgreSQL when a database URL is
 * given) and nothing else: no Engine.IO heartbeat, no acks, no presence, no idempotency or outbox.
 * A published event is encoded once into a complete WebSocket frame and the same bytes are written
 * to every member, one task per event loop, one flush per member. What Herald loses against it is
 * protocol cost.
 */
public final class CeilingServer implements AutoCloseable {
    static final AttributeKey<Boolean> SOCKETIO = AttributeKey.valueOf("ceiling.socketio");

    private final EventLoopGroup boss = Transports.group(1);
    private final EventLoopGroup workers;
    private final Channel server;
    private final Map<String, Set<Channel>> rooms = new ConcurrentHashMap<>();
    final Jwt jwt;
    final String apiKey;
    final LongAdder published = new LongAdder();
    /** Null without a database: the notifications route then answers 503. */
    private final CeilingStore store;
    // JDBC blocks: stores run on virtual threads, never on the event loops.
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();

    /** One frame payload for the members of one room. */
    record Emit(String room, String payloadJson) {}

    /**
     * @param databaseUrl PostgreSQL ({@code postgres://…} or {@code jdbc:postgresql:…}) for
     *     {@code POST /api/v1/notifications}; null or blank to run without (the route answers 503)
     */
    public CeilingServer(String host, int port, String secret, String apiKey, int threads, String databaseUrl)
            throws InterruptedException, SQLException {
        this.jwt = new Jwt(secret);
        this.apiKey = apiKey;
        this.store = databaseUrl == null || databaseUrl.isBlank() ? null : CeilingStore.open(databaseUrl);
        this.workers = Transports.group(threads);
        CeilingServer self = this;
        this.server = new ServerBootstrap().group(boss, workers).channel(Transports.server())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new CeilingHttpHandler(self));
                    }
                }).bind(new InetSocketAddress(host, port)).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    void join(Channel ch, String room) {
        rooms.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(ch);
        ch.closeFuture().addListener(f -> {
            Set<Channel> members = rooms.get(room);
            if (members != null) members.remove(ch);
        });
    }

    /** Writes the event to every member of the room; returns how many members it went to. */
    int broadcast(String room, String event, String payloadJson) {
        Set<Channel> members = rooms.get(room);
        if (members == null || members.isEmpty()) return 0;
        published.increment();
        ByteBuf sio = frame("42[\"" + event + "\"," + payloadJson + "]");
        ByteBuf ws = frame("{\"event\":\"" + event + "\",\"data\":" + payloadJson + "}");
        Map<EventLoop, List<Channel>> byLoop = new HashMap<>();
        for (Channel ch : members) byLoop.computeIfAbsent(ch.eventLoop(), l -> new ArrayList<>()).add(ch);
        int n = 0;
        for (var e : byLoop.entrySet()) {
            List<Channel> chs = e.getValue();
            n += chs.size();
            ByteBuf s = sio.retainedDuplicate();
            ByteBuf w = ws.retainedDuplicate();
            e.getKey().execute(() -> {
                try {
                    for (Channel ch : chs) {
                        ByteBuf f = Boolean.TRUE.equals(ch.attr(SOCKETIO).get()) ? s : w;
                        if (ch.isActive()) ch.writeAndFlush(f.retainedDuplicate(), ch.voidPromise());
                    }
                } finally {
                    s.release();
                    w.release();
                }
            });
        }
        sio.release();
        ws.release();
        return n;
    }

    /**
     * Writes each payload, as an {@code event} frame, to the members of its room: the frames of the
     * whole list go out in one task per event loop with one flush per member.
     */
    void emitAll(String event, List<Emit> emits) {
        Map<EventLoop, List<Map.Entry<Channel, ByteBuf>>> byLoop = new HashMap<>();
        for (Emit e : emits) {
            Set<Channel> members = rooms.get(e.room());
            if (members == null || members.isEmpty()) continue;
            ByteBuf sio = null;
            ByteBuf ws = null;
            for (Channel ch : members) {
                ByteBuf f;
                if (Boolean.TRUE.equals(ch.attr(SOCKETIO).get())) {
                    f = sio != null ? sio : (sio = frame("42[\"" + event + "\"," + e.payloadJson() + "]"));
                } else {
                    f = ws != null ? ws : (ws = frame("{\"event\":\"" + event + "\",\"data\":" + e.payloadJson() + "}"));
                }
                byLoop.computeIfAbsent(ch.eventLoop(), l -> new ArrayList<>()).add(Map.entry(ch, f.retainedDuplicate()));
            }
            if (sio != null) sio.release();
            if (ws != null) ws.release();
        }
        for (var loop : byLoop.entrySet()) {
            List<Map.Entry<Channel, ByteBuf>> writes = loop.getValue();
            loop.getKey().execute(() -> {
                Set<Channel> touched = new java.util.HashSet<>();
                for (var w : writes) {
                    Channel ch = w.getKey();
                    if (ch.isActive()) {
                        ch.write(w.getValue(), ch.voidPromise());
                        touched.add(ch);
                    } else {
                        w.getValue().release();
                    }
                }
                for (Channel ch : touched) ch.flush();
            });
        }
    }

    /** A lane for one HTTP connection's notification creates, or null when there is no database. */
    NotificationLane lane(Channel ch) {
        return store == null ? null : new NotificationLane(ch, this, store, blocking);
    }

    /**
     * A complete unmasked text frame (FIN, opcode 1, length, payload): written as raw bytes, it
     * passes the WebSocket encoder untouched, so the frame is built once per event, not per member.
     */
    static ByteBuf frame(String text) {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.directBuffer(p.length + 10);
        b.writeByte(0x81);
        if (p.length < 126) b.writeByte(p.length);
        else if (p.length < 65536) b.writeByte(126).writeShort(p.length);
        else b.writeByte(127).writeLong(p.length);
        b.writeBytes(p);
        return b;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        blocking.shutdown();
        if (store != null) store.close();
    }

    /**
     * {@code ceiling --port P --secret S --api-key K --database-url U}: runs until killed; prints
     * "listening PORT".
     */
    public static void main(String[] args) throws InterruptedException, SQLException {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        var s = new CeilingServer(a.getOrDefault("host", "127.0.0.1"), Integer.parseInt(a.getOrDefault("port", "0")),
                a.getOrDefault("secret", System.getenv().getOrDefault("JWT_SECRET", "")),
                a.getOrDefault("api-key", System.getenv().getOrDefault("HERALD_API_KEYS", "")),
                Integer.parseInt(a.getOrDefault("threads", String.valueOf(Runtime.getRuntime().availableProcessors()))),
                a.getOrDefault("database-url", System.getenv("DATABASE_URL")));
        System.out.println("listening " + s.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
