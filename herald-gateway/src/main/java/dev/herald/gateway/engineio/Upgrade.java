package dev.herald.gateway.engineio;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A polling session's move to WebSocket. A WebSocket opened with the session's sid is a probe: the
 * client sends "2probe" (answered "3probe" by the frame handler), pauses polling, then sends "5",
 * and from then on the session is on that WebSocket. Polling goes on meanwhile; a probe that does
 * not finish within upgradeTimeout is closed, and the session stays on polling.
 *
 * <p>Threading: the session's event loop only.
 */
final class Upgrade {
    private final EngineSocket socket;
    private final HeldPoll poll;
    private final Outbox outbox;
    private Channel probe;
    private boolean probed;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> noopTimer;

    Upgrade(EngineSocket socket, HeldPoll poll, Outbox outbox) {
        this.socket = socket;
        this.poll = poll;
        this.outbox = outbox;
    }

    /** A WebSocket arrived with this sid: it becomes the probe, if an upgrade is allowed. */
    void attach(Channel channel) {
        if (!socket.isOpen() || socket.webSocket() != null || probe != null) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, null)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        probe = channel;
        timer = socket.eventLoop().schedule(() -> {
            if (probe == channel) {
                forget();
                channel.close();
            }
        }, socket.config().protocol().upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean inProgress() {
        return probe != null;
    }

    /**
     * A poll held mid-upgrade: a client pauses polling after one NOOP. Like engine.io's 100 ms check,
     * wait a moment first, so a poll sent after "5" but read before it (another connection, another
     * loop) is refused as after the upgrade instead of answered.
     */
    void onPollDuringProbe() {
        poll.arrivedDuringProbe();
        EngineSocket.cancel(noopTimer);
        noopTimer = socket.eventLoop().schedule(() -> {
            if (probe != null && outbox.isEmpty()) poll.answer(List.of(EnginePacket.NOOP));
        }, EngineSocket.NOOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Takes a text frame if it came on the probe; false when {@code channel} is not the probe. */
    boolean onText(Channel channel, String text) {
        if (channel != probe) return false;
        if ("2probe".equals(text)) {
            // "3probe" was already written by the frame handler, on the probe's own loop, at once.
            probed = true;
            // The poll the client had in flight before it opened the probe ends now, so it can pause.
            if (poll.heldBeforeProbe()) {
                if (outbox.isEmpty()) poll.answer(List.of(EnginePacket.NOOP));
                else outbox.flushPolling();
            }
        } else if ("5".equals(text) && probed) {
            complete(channel);
        } else {
            forget();
            channel.close();
        }
        return true;
    }

    private void complete(Channel channel) {
        EngineSocket.cancel(timer);
        forget();
        socket.upgraded(channel);
        EngineSocket.cancel(noopTimer);
        // Only a poll that arrived after the probe can still be pending: it belongs after the upgrade.
        poll.refuse();
        outbox.flushWebSocket();
    }

    /** Forgets the probe if {@code channel} was it (it closed); false when it was not. */
    boolean onClosed(Channel channel) {
        if (channel != probe) return false;
        forget();
        EngineSocket.cancel(timer);
        return true;
    }

    /** The session ended: no upgrade now. */
    void end() {
        EngineSocket.cancel(timer);
        EngineSocket.cancel(noopTimer);
        if (probe != null) probe.close();
    }

    private void forget() {
        probe = null;
        probed = false;
    }
}
