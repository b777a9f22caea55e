package dev.herald.bench.ceiling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /api/v1/notifications} for one HTTP connection: requests queue here and one task at a
 * time (on a virtual thread, never the event loop) takes everything queued, stores all its rows in
 * one statement, writes each notification's pre-encoded frame to its recipient's sockets, then
 * answers 202 {@code {ids}}. One lane per connection keeps pipelined answers in request order, as
 * HTTP/1.1 requires, and lets a busy connection's requests share a commit. Once a connection has a
 * lane, every answer on it goes through the lane ({@link #answer}), so nothing overtakes.
 */
final class NotificationLane {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BATCH = 256;

    /** One queued request: a create to store, or an answer already decided (other routes, refusals). */
    private record Job(byte[] body, boolean keepAlive, HttpResponseStatus status, String answer) {}

    /** A parsed create: its rows, or why it is refused. */
    private record Parsed(List<CeilingStore.Row> rows, String error) {}

    private final Channel channel;
    private final CeilingServer server;
    private final CeilingStore store;
    private final Executor executor;
    private final Queue<Job> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    NotificationLane(Channel channel, CeilingServer server, CeilingStore store, Executor executor) {
        this.channel = channel;
        this.server = server;
        this.store = store;
        this.executor = executor;
    }

    /** Queues a create; {@code body} is copied off the request, which the event loop releases. */
    void create(byte[] body, boolean keepAlive) {
        submit(new Job(body, keepAlive, null, null));
    }

    /** Queues an answer decided on the event loop, so it leaves after the creates before it. */
    void answer(HttpResponseStatus status, String json, boolean keepAlive) {
        submit(new Job(null, keepAlive, status, json));
    }

    private void submit(Job job) {
        queue.add(job);
        if (scheduled.compareAndSet(false, true)) executor.execute(this::drain);
    }

    private void drain() {
        while (true) {
            List<Job> batch = new ArrayList<>();
            for (Job j; batch.size() < MAX_BATCH && (j = queue.poll()) != null; ) batch.add(j);
            if (batch.isEmpty()) {
                scheduled.set(false);
                // A job queued after the poll but before the flag cleared would be stranded: take it.
                if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) return;
                continue;
            }
            try {
                process(batch);
            } catch (RuntimeException e) {
                // Answers on this connection can no longer be matched to requests: close it, so the
                // client counts what is unanswered as failed rather than waiting.
                channel.close();
            }
        }
    }

    private void process(List<Job> jobs) {
        // HTTP/1.1: nothing after a request that closes the connection is served.
        int last = 0;
        while (last < jobs.size() - 1 && jobs.get(last).keepAlive()) last++;
        List<Job> batch = jobs.subList(0, last + 1);
        boolean close = !batch.get(last).keepAlive();

        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Parsed> parsed = new ArrayList<>(batch.size());
        List<CeilingStore.Row> rows = new ArrayList<>();
        List<CeilingServer.Emit> emits = new ArrayList<>();
        for (Job j : batch) {
            Parsed p = j.body() == null ? null : parse(j.body(), now, emits);
            parsed.add(p);
            if (p != null && p.rows() != null) rows.addAll(p.rows());
        }
        String storeError = null;
        if (!rows.isEmpty()) {
            try {
                store.insert(now, rows);
                server.emitAll("notification", emits);
            } catch (SQLException | RuntimeException e) {
                storeError = e instanceof SQLException s ? "SQLSTATE " + s.getSQLState() : e.getClass().getSimpleName();
            }
        }
        List<FullHttpResponse> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Job j = batch.get(i);
            Parsed p = parsed.get(i);
            if (p == null) out.add(response(j.status(), j.answer(), j.keepAlive()));
            else if (p.error() != null) out.add(response(HttpResponseStatus.BAD_REQUEST, error("VALIDATION_ERROR", p.error()), j.keepAlive()));
            else if (storeError != null) out.add(response(HttpResponseStatus.INTERNAL_SERVER_ERROR, error("INTERNAL", "store failed: " + storeError), j.keepAlive()));
            else out.add(response(HttpResponseStatus.ACCEPTED, ids(p.rows()), j.keepAlive()));
        }
        // One event-loop task writes the whole batch and flushes once.
        channel.eventLoop().execute(() -> {
            for (FullHttpResponse r : out) channel.write(r, channel.voidPromise());
            if (close) channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            else channel.flush();
        });
    }

    /**
     * Reads a create body into its rows, and adds each row's frame payload to {@code emits} (the
     * client shape the reference emits too: the row, with {@code data} as sent).
     */
    private static Parsed parse(byte[] body, OffsetDateTime now, List<CeilingServer.Emit> emits) {
        JsonNode b;
        try {
            b = JSON.readTree(body);
        } catch (Exception e) {
            return new Parsed(null, "the body is not JSON");
        }
        if (b == null || !b.isObject()) return new Parsed(null, "the body must be a JSON object");
        JsonNode recipients = b.path("recipients");
        if (!recipients.isArray() || recipients.isEmpty()) return new Parsed(null, "recipients: at least one user id");
        for (JsonNode r : recipients) {
            if (!r.isTextual() || r.asText().isEmpty()) return new Parsed(null, "recipients: user ids are strings");
        }
        if (!b.path("type").isTextual()) return new Parsed(null, "type: required");
        String type = b.get("type").asText();
        String title = b.path("title").asText(null);
        String message = b.path("message").asText(null);
        if (title == null && message == null) return new Parsed(null, "title or message: required");
        JsonNode data = b.path("data");
        if (!data.isMissingNode() && !data.isNull() && !data.isObject()) return new Parsed(null, "data: must be an object");
        if (!data.isObject()) data = JSON.createObjectNode();
        String dataJson = data.toString();
        String createdAt = now.toInstant().toString();
        List<CeilingStore.Row> rows = new ArrayList<>(recipients.size());
        long millis = now.toInstant().toEpochMilli();
        for (JsonNode r : recipients) {
            CeilingStore.Row row = new CeilingStore.Row(CeilingStore.timeOrderedId(millis), r.asText(), type, title,
                    message, dataJson);
            rows.add(row);
            ObjectNode o = JSON.createObjectNode();
            o.put("id", row.id().toString()).put("type", type).put("title", title).put("message", message)
                    .put("createdAt", createdAt).set("data", data);
            emits.add(new CeilingServer.Emit("user:" + row.userId(), o.toString()));
        }
        return new Parsed(rows, null);
    }

    private static String ids(List<CeilingStore.Row> rows) {
        StringBuilder b = new StringBuilder("{\"ids\":[");
        for (int i = 0; i < rows.size(); i++) b.append(i == 0 ? "\"" : ",\"").append(rows.get(i).id()).append('"');
        return b.append("]}").toString();
    }

    private static String error(String code, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("error").put("code", code).put("message", message);
        return o.toString();
    }

    static FullHttpResponse response(HttpResponseStatus status, String json, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        if (keepAlive) r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        return r;
    }
}
