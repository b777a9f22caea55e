package dev.herald.core.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.deliver.live.DisconnectReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} must do. Subclasses make nodes of one cluster (each call to
 * {@link #newNode} is another node sharing the same medium) and close what they opened.
 */
public abstract class BrokerContract {
    private final List<Broker> opened = new ArrayList<>();

    /** A new node of the cluster under test; every node made in one test shares one medium. */
    protected abstract Broker newNode();

    /** How long a subscription may take to become effective (zero for in-memory). */
    protected void awaitSubscriptions() {}

    record Received(String room, RoomMessage message) {}

    private List<Received> start(Broker broker) {
        List<Received> inbox = new CopyOnWriteArrayList<>();
        broker.start((room, message) -> inbox.add(new Received(room, message)));
        opened.add(broker);
        return inbox;
    }

    @AfterEach
    void closeNodes() {
        opened.forEach(Broker::close);
    }

    @Test
    void deliversToEveryNodeSubscribedToTheRoomIncludingThePublisher() {
        Broker a = newNode(), b = newNode();
        List<Received> inA = start(a), inB = start(b);
        a.subscribe("team:1");
        b.subscribe("team:1");
        awaitSubscriptions();

        a.publish("team:1", new RoomMessage.Emit("notification", "{\"x\":1}", Set.of())).toCompletableFuture().join();

        await().atMost(Duration.ofSeconds(5)).until(() -> inA.size() == 1 && inB.size() == 1);
        assertThat(inB.getFirst()).isEqualTo(new Received("team:1", new RoomMessage.Emit("notification", "{\"x\":1}", Set.of())));
    }

    @Test
    void carriesBroadcastsWithAcksAndTheirReportsUnchanged() {
        Broker a = newNode(), b = newNode();
        start(a);
        List<Received> inB = start(b);
        b.subscribe("team:acks");
        b.subscribe("ack:reply-1");
        awaitSubscriptions();
        RoomMessage ask = new RoomMessage.EmitWithAck("confirm", "{\"q\":1}", Set.of("u9"), "ack:reply-1", 5000);
        RoomMessage report = new RoomMessage.Acks(3, List.of("\"ok\"", "{\"seen\":true}"));

        a.publish("team:acks", ask).toCompletableFuture().join();
        a.publish("ack:reply-1", report).toCompletableFuture().join();

        await().atMost(Duration.ofSeconds(5)).until(() -> inB.size() == 2);
        assertThat(inB).containsExactlyInAnyOrder(new Received("team:acks", ask), new Received("ack:reply-1", report));
    }

    @Test
    void deliversWhatAnotherNodePublishesAsSoonAsTheSubscriptionIsConfirmed() throws Exception {
        Broker a = newNode(), b = newNode();
        start(a);
        List<Received> inB = start(b);
        List<String> rooms = freshRooms();

        for (String room : rooms) {
            b.subscribe(room).toCompletableFuture().get(5, TimeUnit.SECONDS);
            a.publish(room, new RoomMessage.Emit("e", "first", Set.of())).toCompletableFuture().join();
        }

        assertThat(roomsThatLostTheirFirstMessage(a, inB, rooms)).isEmpty();
    }

    @Test
    void confirmsARepeatedSubscriptionOnlyOnceItIsEffective() throws Exception {
        Broker a = newNode(), b = newNode();
        start(a);
        List<Received> inB = start(b);
        List<String> rooms = freshRooms();

        for (String room : rooms) {
            b.subscribe(room);
            b.subscribe(room).toCompletableFuture().get(5, TimeUnit.SECONDS);
            a.publish(room, new RoomMessage.Emit("e", "first", Set.of())).toCompletableFuture().join();
        }

        assertThat(roomsThatLostTheirFirstMessage(a, inB, rooms)).isEmpty();
    }

    /** Rooms no node of this test subscribed before: each subscription is a new one for the medium. */
    private static List<String> freshRooms() {
        return IntStream.range(0, 50).mapToObj(i -> "user:fresh-" + i).toList();
    }

    /**
     * Publishes a marker to every room until each marker has arrived; within a room one node's
     * publications keep their order, so a room whose "first" did not come before its marker lost it.
     */
    private static List<String> roomsThatLostTheirFirstMessage(Broker publisher, List<Received> inbox, List<String> rooms) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            boolean all = true;
            for (String room : rooms) {
                if (inbox.contains(new Received(room, marker()))) continue;
                all = false;
                publisher.publish(room, marker()).toCompletableFuture().join();
            }
            return all;
        });
        List<Received> arrived = List.copyOf(inbox);
        List<String> lost = new ArrayList<>();
        for (String room : rooms) {
            List<Received> heard = arrived.subList(0, arrived.indexOf(new Received(room, marker())));
            if (!heard.contains(new Received(room, new RoomMessage.Emit("e", "first", Set.of())))) lost.add(room);
        }
        return lost;
    }

    private static RoomMessage marker() {
        return new RoomMessage.Emit("e", "marker", Set.of());
    }

    @Test
    void skipsNodesThatHaveNoMemberInTheRoom() {
        Broker a = newNode(), b = newNode();
        List<Received> inA = start(a), inB = start(b);
        a.subscribe("room:a");
        b.subscribe("room:marker");
        awaitSubscriptions();

        a.publish("room:a", new RoomMessage.Emit("e", "1", Set.of()));
        a.publish("room:marker", new RoomMessage.Emit("e", "2", Set.of()));

        await().atMost(Duration.ofSeconds(5)).until(() -> inB.size() == 1 && inA.size() == 1);
        assertThat(inB).extracting(Received::room).containsExactly("room:marker");
    }

    @Test
    void keepsOrderWithinOneRoom() {
        Broker a = newNode(), b = newNode();
        start(a);
        List<Received> inB = start(b);
        b.subscribe("user:7");
        awaitSubscriptions();

        for (int i = 0; i < 200; i++) a.publish("user:7", new RoomMessage.Emit("n", Integer.toString(i), Set.of()));

        await().atMost(Duration.ofSeconds(10)).until(() -> inB.size() == 200);
        List<String> order = inB.stream().map(r -> ((RoomMessage.Emit) r.message()).json()).toList();
        assertThat(order).isEqualTo(java.util.stream.IntStream.range(0, 200).mapToObj(Integer::toString).toList());
    }

    @Test
    void stopsDeliveringAfterUnsubscribe() {
        Broker a = newNode(), b = newNode();
        start(a);
        List<Received> inB = start(b);
        b.subscribe("room:x");
        b.subscribe("room:marker");
        awaitSubscriptions();
        b.unsubscribe("room:x");
        awaitSubscriptions();

        a.publish("room:x", new RoomMessage.Emit("e", "1", Set.of()));
        a.publish("room:marker", new RoomMessage.Emit("e", "2", Set.of()));

        await().atMost(Duration.ofSeconds(5)).until(() -> !inB.isEmpty());
        assertThat(inB).extracting(Received::room).containsExactly("room:marker");
    }

    @Test
    void deliversOnceEvenWhenSubscribedTwice() {
        Broker a = newNode();
        List<Received> inA = start(a);
        a.subscribe("room:twice");
        a.subscribe("room:twice");
        a.subscribe("room:marker");
        awaitSubscriptions();

        a.publish("room:twice", new RoomMessage.Emit("e", "1", Set.of()));
        a.publish("room:marker", new RoomMessage.Emit("e", "2", Set.of()));

        await().atMost(Duration.ofSeconds(5)).until(() -> inA.stream().anyMatch(r -> r.room().equals("room:marker")));
        assertThat(inA).extracting(Received::room).containsExactly("room:twice", "room:marker");
    }

    @Test
    void carriesExclusionsAndDisconnectOrders() {
        Broker a = newNode(), b = newNode();
        start(a);
        List<Received> inB = start(b);
        b.subscribe("user:9");
        awaitSubscriptions();

        a.publish("user:9", new RoomMessage.Emit("e", "{}", Set.of("u1", "u2")));
        a.publish("user:9", new RoomMessage.Disconnect("maintenance"));
        a.publish("user:9", new RoomMessage.Disconnect(DisconnectReason.TOO_MANY_CONNECTIONS, Set.of("sock-1")));

        await().atMost(Duration.ofSeconds(5)).until(() -> inB.size() == 3);
        assertThat(inB).extracting(Received::message).containsExactly(
                new RoomMessage.Emit("e", "{}", Set.of("u1", "u2")), new RoomMessage.Disconnect("maintenance"),
                new RoomMessage.Disconnect(DisconnectReason.TOO_MANY_CONNECTIONS, Set.of("sock-1")));
    }
}
