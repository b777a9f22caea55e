package dev.herald.core.testing;

import dev.herald.core.deliver.dispatch.ChannelSender;
import dev.herald.core.deliver.dispatch.OutboundMessage;
import dev.herald.core.deliver.dispatch.SendResult;
import dev.herald.core.notification.Channel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A hand-written sender for dispatcher tests: answers the scripted results in order, then the
 * default, and keeps every message it was given.
 */
public final class ScriptedSender implements ChannelSender {
    private final Channel channel;
    private final Deque<SendResult> script = new ArrayDeque<>();
    private final List<OutboundMessage> received = new CopyOnWriteArrayList<>();
    private volatile Supplier<SendResult> otherwise = () -> new SendResult.Sent(null);

    public ScriptedSender(Channel channel) {
        this.channel = channel;
    }

    /** The next answers, in order. */
    public synchronized ScriptedSender then(SendResult... results) {
        script.addAll(List.of(results));
        return this;
    }

    /** The answer once the script is used up. */
    public ScriptedSender otherwise(SendResult result) {
        this.otherwise = () -> result;
        return this;
    }

    public List<OutboundMessage> received() {
        return List.copyOf(received);
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public String provider() {
        return "scripted";
    }

    @Override
    public SendResult send(OutboundMessage message) {
        received.add(message);
        synchronized (this) {
            if (!script.isEmpty()) return script.poll();
        }
        return otherwise.get();
    }
}
