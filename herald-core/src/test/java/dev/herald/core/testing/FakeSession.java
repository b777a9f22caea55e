package dev.herald.core.testing;

import dev.herald.core.auth.Principal;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.Transport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A hand-written Session for tests: records what it was sent and how it was closed. */
public final class FakeSession implements Session {
    private static final AtomicInteger IDS = new AtomicInteger();
    private final String id;
    private volatile Principal principal;
    private volatile Transport transport;
    private final List<OutboundEvent> sent = new CopyOnWriteArrayList<>();
    private final AtomicReference<DisconnectReason> closedWith = new AtomicReference<>();
    /** null: no acks (as plain /ws); empty: every ack times out; else the ack's argument. */
    private volatile java.util.Optional<String> ackReply;

    public FakeSession(Principal principal) {
        this(principal, Transport.WEBSOCKET);
    }

    public FakeSession(Principal principal, Transport transport) {
        this.id = "fake-" + IDS.incrementAndGet();
        this.principal = principal;
        this.transport = transport;
    }

    public static FakeSession of(String userId, String teamId) {
        return new FakeSession(Principal.user(userId, teamId));
    }

    @Override public String id() { return id; }
    @Override public Principal principal() { return principal; }
    @Override public void replacePrincipal(Principal refreshed) { principal = refreshed; }
    @Override public Transport transport() { return transport; }
    public void upgrade() { transport = Transport.WEBSOCKET; }

    @Override
    public boolean send(OutboundEvent event) {
        if (!isOpen()) return false;
        sent.add(event);
        return true;
    }

    @Override
    public void close(DisconnectReason reason) {
        closedWith.compareAndSet(null, reason);
    }

    @Override
    public boolean isOpen() {
        return closedWith.get() == null;
    }

    public List<OutboundEvent> sent() { return List.copyOf(sent); }

    /** Makes this session answer acks with {@code json}, or let them time out when null. */
    public FakeSession acking(String json) {
        ackReply = java.util.Optional.ofNullable(json);
        return this;
    }

    @Override
    public boolean sendWithAck(OutboundEvent event, java.time.Duration timeout, java.util.function.Consumer<java.util.Optional<String>> answer) {
        java.util.Optional<String> reply = ackReply;
        if (reply == null || !send(event)) return false;
        answer.accept(reply);
        return true;
    }

    public List<OutboundEvent> sent(String eventName) {
        return sent.stream().filter(e -> e.name().equals(eventName)).toList();
    }

    public List<String> sentNames() {
        return sent.stream().map(OutboundEvent::name).toList();
    }

    public DisconnectReason closedWith() { return closedWith.get(); }

    @Override public String toString() { return "FakeSession[" + id + "," + principal.userId() + "]"; }
}
