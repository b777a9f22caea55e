package dev.herald.server.ops;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The seed names the Prometheus client refuses, written by hand after its scrape (text format 0.0.4
 * allows them): gauges whose seed name ends in {@code _total} ({@code notifications_connections_total},
 * {@code notifications_rooms_total}, {@code notifications_room_members_total}) and the counter
 * {@code notifications_created_total{type}}, whose {@code _created} the client keeps for created
 * timestamps and strips. Each family is written once, with its TYPE line.
 *
 * <p>{@code notifications_room_members_total{room_id}} lists the {@link #MAX_ROOMS} largest local
 * rooms, without the per-user {@code user:} rooms, so a scrape stays bounded whatever the number of
 * users.
 */
final class SeedExposition {
    static final int MAX_ROOMS = 50;

    private final IntSupplier connections;
    private volatile Supplier<Map<String, Integer>> rooms = Map::of;
    private final Map<String, LongAdder> createdByType = new ConcurrentHashMap<>();

    SeedExposition(IntSupplier connections) {
        this.connections = connections;
    }

    void rooms(Supplier<Map<String, Integer>> localRoomSizes) {
        this.rooms = localRoomSizes;
    }

    void created(String type, int count) {
        createdByType.computeIfAbsent(type, t -> new LongAdder()).add(count);
    }

    void appendTo(StringBuilder out) {
        Map<String, Integer> sizes = rooms.get();
        gauge(out, "notifications_connections_total", "Open client connections on this node", connections.getAsInt());
        gauge(out, "notifications_rooms_total", "Rooms with members on this node", sizes.size());
        out.append("# HELP notifications_room_members_total Members of the largest rooms on this node (user: rooms left out)\n")
                .append("# TYPE notifications_room_members_total gauge\n");
        sizes.entrySet().stream().filter(e -> !e.getKey().startsWith("user:"))
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_ROOMS)
                .forEach(e -> out.append("notifications_room_members_total{room_id=\"").append(escape(e.getKey())).append("\"} ")
                        .append(e.getValue()).append('\n'));
        out.append("# HELP notifications_created_total Notifications created, one per recipient, by type\n")
                .append("# TYPE notifications_created_total counter\n");
        createdByType.forEach((type, n) -> out.append("notifications_created_total{type=\"").append(escape(type)).append("\"} ")
                .append(n.sum()).append('\n'));
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
    }

    /** The exposition format's label escapes: backslash, quote, newline. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
