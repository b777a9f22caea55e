package dev.herald.core.deliver.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.deliver.live.ClientEvent;
import dev.herald.core.deliver.live.HeraldSessionHandler;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.inbox.InboxQuery;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.inbox.Pending;
import dev.herald.core.inbox.SyncCursor;
import dev.herald.core.inbox.SyncPage;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationPayload;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * The inbox side of the client protocol: answers {@code notifications:sync} (and seed 001's alias
 * {@code requestMissedNotifications}), {@code ack}, {@code notification:read} and
 * {@code notification:readAll}, and greets a new session with {@code notifications:pending}.
 *
 * <p>Answers go through the client's ack when it asked for one: {@code {ok:true, …}} or
 * {@code {error:{code,message}}}. Without an ack, a refusal is sent as an {@code error} event, and
 * a sync sends each missed notification as a {@code notification} event, oldest first (what seed
 * 001 clients expect), at most {@link #MAX_SYNC} of them.
 *
 * <p>Threading: blocking (the store); the SessionHandler calls it on the session's virtual thread.
 */
public final class InboxEvents {
    public static final String SYNC = "notifications:sync";
    public static final String REQUEST_MISSED = "requestMissedNotifications";
    public static final String ACK = "ack";
    public static final String READ = "notification:read";
    public static final String READ_ALL = "notification:readAll";
    public static final String PENDING = "notifications:pending";
    public static final int DEFAULT_SYNC = 100;
    public static final int MAX_SYNC = 1000;
    public static final int DEFAULT_PENDING = 50;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final InboxService service;
    private final int pendingLimit;

    /** @param pendingLimit how many unread notifications {@link #sendPending} sends at most (1..100) */
    public InboxEvents(InboxService service, int pendingLimit) {
        this.service = Objects.requireNonNull(service, "service");
        if (pendingLimit < 1 || pendingLimit > InboxQuery.MAX_LIMIT) throw new IllegalArgumentException("pendingLimit must be 1..100");
        this.pendingLimit = pendingLimit;
    }

    public InboxEvents(InboxService service) {
        this(service, DEFAULT_PENDING);
    }

    /**
     * Adds the inbox events to the session handler (which answers acks and errors for them) and
     * the pending greeting to every ready session.
     */
    public void registerOn(HeraldSessionHandler sessions) {
        sessions.on(SYNC, this::sync).on(REQUEST_MISSED, this::sync)
                .on(ACK, (session, event) -> {
                    Notification n = service.acknowledge(session.principal().userId(), notificationId(event.data()));
                    return NODES.objectNode().put("notificationId", n.id()).put("status", "delivered")
                            .put("deliveredAt", n.deliveredAt().toString());
                })
                .on(READ, (session, event) -> {
                    Notification n = service.markRead(session.principal().userId(), notificationId(event.data()));
                    return NODES.objectNode().put("notificationId", n.id()).put("status", "read")
                            .put("readAt", n.readAt().toString());
                })
                .on(READ_ALL, (session, event) -> {
                    List<String> ids = service.markAllRead(session.principal().userId());
                    ObjectNode o = NODES.objectNode().put("count", ids.size());
                    ids.forEach(o.putArray("notificationIds")::add);
                    return o;
                })
                .onReady(this::sendPending);
    }

    /**
     * Sends {@code notifications:pending {notifications, hasMore}} with the user's unread
     * notifications, newest first. Call once the client knows it is connected.
     */
    public void sendPending(Session session) {
        Pending pending = service.pending(session.principal().userId(), pendingLimit);
        ObjectNode body = NODES.objectNode();
        body.set("notifications", NotificationPayload.toArray(pending.notifications()));
        body.put("hasMore", pending.hasMore());
        session.send(new OutboundEvent(PENDING, NotificationPayload.write(body)));
    }

    /** With an ack, answers the page; without one, sends each notification as a {@code notification} event. */
    private Object sync(Session session, ClientEvent event) {
        JsonNode data = event.data();
        SyncCursor cursor = cursor(data);
        int limit = DEFAULT_SYNC;
        JsonNode l = data.path("limit");
        if (!l.isMissingNode() && !l.isNull()) {
            if (!l.canConvertToInt() || l.asInt() < 1 || l.asInt() > MAX_SYNC) {
                throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "limit: must be between 1 and " + MAX_SYNC);
            }
            limit = l.asInt();
        }
        SyncPage page = service.sync(session.principal().userId(), cursor, limit);
        if (!event.wantsAck()) {
            for (Notification n : page.items()) session.send(new OutboundEvent(LiveNotifier.NOTIFICATION, NotificationPayload.toJson(n)));
        }
        ObjectNode o = NODES.objectNode();
        o.set("notifications", NotificationPayload.toArray(page.items()));
        return o.put("hasMore", page.hasMore());
    }

    /** {@code {afterId}} wins over {@code {since}}; since is ISO-8601 text or epoch milliseconds. */
    static SyncCursor cursor(JsonNode data) {
        JsonNode afterId = data.path("afterId");
        if (afterId.isTextual() && !afterId.asText().isBlank()) return SyncCursor.afterId(afterId.asText());
        JsonNode since = data.path("since");
        if (since.isMissingNode() || since.isNull()) return SyncCursor.beginning();
        if (since.isIntegralNumber()) return SyncCursor.since(Instant.ofEpochMilli(since.asLong()));
        if (since.isTextual()) {
            try {
                return SyncCursor.since(Instant.parse(since.asText()));
            } catch (DateTimeParseException e) {
                // fall through to the refusal
            }
        }
        throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "since: must be an ISO-8601 time or epoch milliseconds");
    }

    /** The id from {@code "id"} (seed 003 sends the bare id), {@code {notificationId}} or {@code {id}}. */
    static String notificationId(JsonNode data) {
        JsonNode id = data.isTextual() ? data : data.path("notificationId");
        if (!id.isTextual()) id = data.path("id");
        if (!id.isTextual() || id.asText().isBlank()) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "notificationId: required");
        }
        return id.asText();
    }
}
