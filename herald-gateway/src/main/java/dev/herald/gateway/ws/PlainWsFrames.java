package dev.herald.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.Json;
import dev.herald.core.deliver.live.ClientEvent;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.gateway.GatewayConfig;
import dev.herald.gateway.GatewayMetrics;
import dev.herald.gateway.StrictUtf8;
import dev.herald.gateway.TokenBucket;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Clock;

/**
 * Reads one /ws connection's frames: the auth frame of a session that has no token yet, then JSON
 * events, each within the session's event budget. A malformed frame gets an error frame, and the
 * connection closes after {@value PlainWsSession#MAX_MALFORMED_FRAMES} in a row; a frame the decoder
 * refuses closes it with the decoder's status (see the package documentation for the codes).
 *
 * <p>Threading: the connection's event loop, so nothing here blocks; authentication and events go
 * on to the session's virtual thread.
 */
final class PlainWsFrames extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final ObjectMapper MAPPER = new ObjectMapper(Json.factory());
    private static final int MESSAGE_TOO_BIG = 1009;

    private final PlainWsSession session;
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final TokenBucket bucket;
    private int malformed;

    PlainWsFrames(PlainWsSession session, GatewayConfig config, GatewayMetrics metrics, Clock clock) {
        this.session = session;
        this.config = config;
        this.metrics = metrics;
        this.bucket = new TokenBucket(config.limits().eventsPerSecond(), config.limits().eventBurst(), clock);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        session.heard();
        switch (frame) {
            case TextWebSocketFrame t -> {
                String text = StrictUtf8.decode(t.content());
                if (text == null) session.closeWith(StrictUtf8.INVALID_PAYLOAD, DisconnectReason.PROTOCOL_ERROR);
                else onText(text);
            }
            case PingWebSocketFrame p -> ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
            case PongWebSocketFrame p -> { }
            case CloseWebSocketFrame c -> ctx.close();
            default -> onMalformed("binary frames are not supported on /ws");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.onInactive();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.closeReasonUnlessGiven(DisconnectReason.PROTOCOL_ERROR);
        // The decoder does not close by itself (see PlainWsGateway): close here, with its status.
        if (cause instanceof CorruptedWebSocketFrameException c && c.closeStatus().code() != MESSAGE_TOO_BIG) {
            ctx.writeAndFlush(new CloseWebSocketFrame(c.closeStatus())).addListener(ChannelFutureListener.CLOSE);
        } else if (cause instanceof CorruptedWebSocketFrameException || cause instanceof TooLongFrameException) {
            // Over maxPayload, one frame (decoder) or fragmented (aggregator). Before auth it can only
            // be the auth frame, made that big by its token: answer like any refused token first.
            if (session.state() == PlainWsSession.State.AWAITING_AUTH) {
                session.sendError(ErrorCode.INVALID_TOKEN.name(), "the auth frame is over maxPayload ("
                        + config.limits().maxPayloadBytes() + " bytes); a token must be far smaller");
            }
            ctx.writeAndFlush(new CloseWebSocketFrame(MESSAGE_TOO_BIG, "message too big")).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private void onText(String text) {
        JsonNode frame;
        try {
            frame = MAPPER.readTree(text);
        } catch (Exception e) {
            onMalformed("frames must be JSON {\"event\":…,\"data\":…}");
            return;
        }
        if (frame == null || !frame.isObject() || !frame.path("event").isTextual()) {
            onMalformed("frames must be JSON {\"event\":…,\"data\":…}");
            return;
        }
        String event = frame.get("event").asText();
        JsonNode data = frame.has("data") ? frame.get("data") : NullNode.getInstance();
        switch (session.state()) {
            case AWAITING_AUTH -> {
                JsonNode token = data.path("token");
                if (!"auth".equals(event) || !token.isTextual() || token.asText().isBlank()) {
                    session.sendError(ErrorCode.AUTH_FAILED.name(), "the first frame must be {\"event\":\"auth\",\"data\":{\"token\":…}}");
                    session.closeWith(PlainWsSession.CLOSE_AUTH, DisconnectReason.PROTOCOL_ERROR);
                    return;
                }
                session.authenticate(token.asText());
            }
            case AUTHENTICATING -> session.sendError(ErrorCode.UNAUTHENTICATED.name(), "not authenticated yet");
            case OPEN -> onEvent(event, data, frame.get("id"));
            case CLOSED -> { }
        }
    }

    private void onEvent(String event, JsonNode data, JsonNode idNode) {
        String ackId = idNode == null || idNode.isNull() ? null : idNode.toString();
        if (!bucket.tryTake()) {
            metrics.eventRateLimited();
            // The budget refills at EVENTS_PER_SECOND (at least 1/s): a permit is back within a second.
            String error = "{\"code\":\"RATE_LIMITED\",\"message\":\"too many events, slow down\",\"retryAfter\":1}";
            if (ackId != null) session.write("{\"event\":\"ack\",\"id\":" + ackId + ",\"data\":{\"error\":" + error + "}}");
            else session.write("{\"event\":\"error\",\"data\":" + error + "}");
            return;
        }
        malformed = 0;
        session.onEvent(new ClientEvent(event, data, ackId == null ? null
                : json -> session.write("{\"event\":\"ack\",\"id\":" + ackId + ",\"data\":" + json + "}")));
    }

    private void onMalformed(String message) {
        session.sendError(ErrorCode.INVALID_ARGUMENT.name(), message);
        if (++malformed >= PlainWsSession.MAX_MALFORMED_FRAMES) {
            session.closeWith(PlainWsSession.CLOSE_MALFORMED, DisconnectReason.PROTOCOL_ERROR);
        }
    }
}
