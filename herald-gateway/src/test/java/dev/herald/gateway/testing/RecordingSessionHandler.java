package dev.herald.gateway.testing;

import dev.herald.core.HeraldException;
import dev.herald.core.deliver.live.ClientEvent;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.SessionHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every call as "open:&lt;user&gt;", "ready:&lt;user&gt;", "event:&lt;name&gt;:&lt;data&gt;",
 * "closed:&lt;reason code&gt;"; greets with connection_ready on ready and answers acks with the event's
 * data. {@link #refuseWith} makes open throw. Also checks that calls for one session never overlap.
 */
public final class RecordingSessionHandler implements SessionHandler {
    public final List<String> calls = new CopyOnWriteArrayList<>();
    public final List<Session> sessions = new CopyOnWriteArrayList<>();
    public final Map<String, DisconnectReason> closedReasons = new ConcurrentHashMap<>();
    public final List<String> overlaps = new CopyOnWriteArrayList<>();
    private final Map<Session, Boolean> busy = new ConcurrentHashMap<>();
    private volatile HeraldException refusal;

    public void refuseWith(HeraldException e) {
        this.refusal = e;
    }

    /** Calls that ran on a platform thread (an event loop would be one): must stay empty. */
    public final List<String> offVirtualThread = new CopyOnWriteArrayList<>();

    private void enter(Session s) {
        if (busy.putIfAbsent(s, Boolean.TRUE) != null) overlaps.add(s.id());
        if (!Thread.currentThread().isVirtual()) offVirtualThread.add(Thread.currentThread().getName());
    }

    private void exit(Session s) {
        busy.remove(s);
    }

    @Override
    public void open(Session session) {
        enter(session);
        try {
            calls.add("open:" + session.principal().userId());
            if (refusal != null) throw refusal;
            sessions.add(session);
        } finally {
            exit(session);
        }
    }

    @Override
    public void ready(Session session) {
        enter(session);
        try {
            calls.add("ready:" + session.principal().userId());
            session.send(new OutboundEvent("connection_ready", "{\"socketId\":\"" + session.id() + "\",\"userId\":\""
                    + session.principal().userId() + "\"}"));
        } finally {
            exit(session);
        }
    }

    @Override
    public void event(Session session, ClientEvent event) {
        enter(session);
        try {
            calls.add("event:" + event.name() + ":" + event.data());
            if (event.wantsAck()) event.ack().reply("{\"ok\":true,\"echo\":" + event.data() + "}");
        } finally {
            exit(session);
        }
    }

    @Override
    public void closed(Session session, DisconnectReason reason) {
        enter(session);
        try {
            calls.add("closed:" + reason.code());
            closedReasons.put(session.id(), reason);
        } finally {
            exit(session);
        }
    }

    public long count(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).count();
    }
}
