package dev.herald.gateway.ws;

import dev.herald.core.ErrorCode;
import dev.herald.core.auth.Authenticator;
import dev.herald.core.auth.Principal;
import dev.herald.core.deliver.live.ClientEvent;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.SessionHandler;
import dev.herald.core.deliver.live.Transport;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayMetrics;
import dev.herald.gateway.HandshakeGate;
import dev.herald.gateway.SerialExecutor;
import dev.herald.gateway.SessionRegistry;
import dev.herald.gateway.http.HttpReplies;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One plain WebSocket client at /ws as a Herald {@link Session}. Frames are JSON
 * {"event":…,"data":…[,"id":…]}; see the package documentation for the close codes.
 *
 * <p>This class holds the session's state (awaiting its token, authenticating, open, closed) and
 * its way out; {@link PlainWsFrames} reads the frames, on the channel's event loop, and
 * {@link PlainWsAdmission} admits the session, on its virtual thread. Admission, events and the one
 * {@link SessionHandler#closed} call run in order on that thread ({@link SerialExecutor}); sends
 * may come from any thread.
 */
final class PlainWsSession implements Session, dev.herald.gateway.SharesFrames {
    static final int CLOSE_AUTH = 4401;
    static final int CLOSE_REFUSED = 4403;
    static final int CLOSE_RATE_LIMITED = 4429;
    static final int CLOSE_MALFORMED = 1008;
    static final int MAX_MALFORMED_FRAMES = 10;

    private static final Object ENCODING_KEY = new Object();
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    enum State { AWAITING_AUTH, AUTHENTICATING, OPEN, CLOSED }

    private final Channel channel;
    private final GatewayConfig config;
    private final SessionHandler handler;
    private final SessionRegistry registry;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final String id;
    private final SerialExecutor serial = new SerialExecutor();
    private final AtomicBoolean slowDropped = new AtomicBoolean();
    private final AtomicReference<State> state = new AtomicReference<>(State.AWAITING_AUTH);
    private volatile Principal principal;
    private volatile DisconnectReason closeReason;
    private volatile long lastSeen;
    private final PlainWsAdmission admission;
    private final PlainWsFrames frames;
    private Boolean plainFrames; // whether the channel takes a shared frame as is; null until first asked
    private ScheduledFuture<?> authTimer;
    private ScheduledFuture<?> pingTimer;

    /** Without a handshake budget (the frame fuzzer drives sessions on an embedded channel). */
    PlainWsSession(Channel channel, GatewayConfig config, Authenticator authenticator, SessionHandler handler,
                   SessionRegistry registry, GatewayMetrics metrics, Clock clock) {
        this(channel, config, authenticator, handler, registry, metrics, clock, new HandshakeGate());
    }

    PlainWsSession(Channel channel, GatewayConfig config, Authenticator authenticator, SessionHandler handler,
                   SessionRegistry registry, GatewayMetrics metrics, Clock clock, HandshakeGate handshakes) {
        this.channel = channel;
        this.config = config;
        this.handler = handler;
        this.registry = registry;
        this.metrics = metrics;
        this.clock = clock;
        this.admission = new PlainWsAdmission(this, channel, authenticator, handler, registry, handshakes);
        this.frames = new PlainWsFrames(this, config, metrics, clock);
        byte[] b = new byte[15];
        RANDOM.get().nextBytes(b);
        this.id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        this.lastSeen = clock.millis();
    }

    // ---- Session -------------------------------------------------------------------------------

    @Override
    public String id() {
        return id;
    }

    @Override
    public Principal principal() {
        return principal;
    }

    @Override
    public void replacePrincipal(Principal refreshed) {
        principal = refreshed;
    }

    @Override
    public Transport transport() {
        return Transport.WEBSOCKET;
    }

    /** The channel's loop: a write made there goes straight down the pipeline, with no hop. */
    @Override
    public io.netty.channel.EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean send(OutboundEvent event) {
        if (state.get() != State.OPEN || slowDropped.get()) return false;
        return write(new TextWebSocketFrame(Unpooled.wrappedBuffer(framePayload(event))));
    }

    @Override
    public Object frameKey() {
        return ENCODING_KEY;
    }

    /** Encoded once per broadcast; every recipient's frame wraps the same bytes. */
    @Override
    public byte[] framePayload(OutboundEvent event) {
        return event.encoded(ENCODING_KEY, e -> ("{\"event\":" + quote(e.name()) + ",\"data\":" + e.json() + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public io.netty.channel.ChannelFuture sendFrame(OutboundEvent event, io.netty.buffer.ByteBuf frame) {
        if (state.get() != State.OPEN || slowDropped.get() || !channel.isActive()) return null;
        if (!channel.eventLoop().inEventLoop() || !plainFrames()) {
            send(event);
            return null;
        }
        io.netty.channel.ChannelFuture written = channel.writeAndFlush(frame.retainedDuplicate());
        stillWritable();
        return written;
    }

    private boolean plainFrames() {
        Boolean p = plainFrames;
        if (p == null) {
            p = dev.herald.gateway.WsFrames.plain(channel);
            plainFrames = p;
        }
        return p;
    }

    @Override
    public void close(DisconnectReason reason) {
        if (reason.equals(DisconnectReason.SLOW_CONSUMER)) {
            // Past the high-water mark, but the goodbye is a few bytes: the client reads it after its
            // backlog if it reads at all, and has pingTimeout to do so before the hard close.
            closeReason = reason;
            // The session ends now, not when the client gets round to reading its goodbye.
            if (state.getAndSet(State.CLOSED) == State.OPEN) serial.execute(this::finish);
            channel.write(new TextWebSocketFrame(errorFrame(reason.errorCode(), reason.message())));
            channel.writeAndFlush(new CloseWebSocketFrame(1000, null)).addListener(ChannelFutureListener.CLOSE);
            channel.eventLoop().schedule(() -> channel.close(), config.protocol().pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        if (!reason.equals(DisconnectReason.CLIENT_CLOSED)) sendError(reason.errorCode(), reason.message());
        int code = reason.equals(DisconnectReason.SERVER_SHUTDOWN) ? 1001
                : reason.equals(DisconnectReason.PROTOCOL_ERROR) ? CLOSE_MALFORMED
                : reason.equals(DisconnectReason.TOKEN_EXPIRED) ? CLOSE_AUTH : 1000;
        closeWith(code, reason);
    }

    @Override
    public boolean isOpen() {
        return state.get() == State.OPEN && !slowDropped.get() && channel.isActive();
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    /** Called once the handshake is written: authenticate now, or wait for the auth frame. */
    void start(String token) {
        schedulePing();
        if (token != null) {
            authenticate(token);
        } else {
            authTimer = channel.eventLoop().schedule(() -> {
                if (state.get() == State.AWAITING_AUTH) {
                    sendError(ErrorCode.AUTH_FAILED.name(), "no auth frame within the connect timeout");
                    closeWith(CLOSE_AUTH, DisconnectReason.PROTOCOL_ERROR);
                }
            }, config.protocol().connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A token came (in the handshake or the auth frame): the session is admitted on its virtual thread. */
    void authenticate(String token) {
        state.set(State.AUTHENTICATING);
        if (authTimer != null) authTimer.cancel(false);
        serial.execute(() -> admission.admitFlushingOnce(token));
    }

    /** Opens the admitted session; false, and its one closed call made, when the client left while it was admitted. */
    boolean opened() {
        if (state.compareAndSet(State.AUTHENTICATING, State.OPEN) && channel.isActive()) return true;
        // The client left while open ran: it still gets its one closed call.
        state.set(State.CLOSED);
        finish();
        return false;
    }

    private void finish() {
        DisconnectReason reason = closeReason == null ? DisconnectReason.CLIENT_CLOSED : closeReason;
        try {
            handler.closed(this, reason);
        } finally {
            registry.remove(this);
        }
    }

    private void schedulePing() {
        long interval = config.protocol().pingInterval().toMillis();
        pingTimer = channel.eventLoop().scheduleAtFixedRate(() -> {
            if (clock.millis() - lastSeen > interval + config.protocol().pingTimeout().toMillis()) {
                closeReason = DisconnectReason.PING_TIMEOUT;
                channel.close();
            } else {
                channel.writeAndFlush(new PingWebSocketFrame());
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    // ---- inbound -------------------------------------------------------------------------------

    /** The handler reading this session's frames; one per session, for its channel's pipeline. */
    SimpleChannelInboundHandler<WebSocketFrame> frameHandler() {
        return frames;
    }

    State state() {
        return state.get();
    }

    /** A frame came: the client is alive. */
    void heard() {
        lastSeen = clock.millis();
    }

    /** Hands a client's event to the handler on the session's virtual thread, in the order read. */
    void onEvent(ClientEvent event) {
        serial.execute(() -> handler.event(this, event));
    }

    /** The connection is gone: the timers stop, and an open session gets its one closed call. */
    void onInactive() {
        if (pingTimer != null) pingTimer.cancel(false);
        if (authTimer != null) authTimer.cancel(false);
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.OPEN) serial.execute(this::finish);
    }

    // ---- outbound ------------------------------------------------------------------------------

    boolean write(String frame) {
        return write(new TextWebSocketFrame(frame));
    }

    /** A frame object, or a whole encoded frame (a ByteBuf) written past the encoder. */
    private boolean write(io.netty.util.ReferenceCounted frame) {
        if (!channel.isActive()) {
            frame.release();
            return false;
        }
        if (admission.isAdmittingThread()) channel.write(frame, channel.voidPromise());
        else channel.writeAndFlush(frame);
        return stillWritable();
    }

    /** False, and the client dropped as a slow consumer, when the channel is past its high-water mark. */
    private boolean stillWritable() {
        if (!channel.isWritable()) {
            if (slowDropped.compareAndSet(false, true)) {
                metrics.slowConsumerDropped();
                close(DisconnectReason.SLOW_CONSUMER);
            }
            return false;
        }
        return true;
    }

    void sendError(String code, String message) {
        write(errorFrame(code, message));
    }

    private static String errorFrame(String code, String message) {
        return "{\"event\":\"error\",\"data\":{\"code\":\"" + HttpReplies.jsonEscape(code) + "\",\"message\":\""
                + HttpReplies.jsonEscape(message) + "\"}}";
    }

    void closeWith(int code, DisconnectReason reason) {
        closeReasonUnlessGiven(reason);
        channel.writeAndFlush(new CloseWebSocketFrame(code, null)).addListener(ChannelFutureListener.CLOSE);
    }

    /** The reason {@link SessionHandler#closed} will hear, unless one was given before. */
    void closeReasonUnlessGiven(DisconnectReason reason) {
        if (closeReason == null) closeReason = reason;
    }

    private static String quote(String s) {
        return "\"" + HttpReplies.jsonEscape(s) + "\"";
    }

    @Override
    public String toString() {
        return "PlainWsSession[" + id + "]";
    }
}
