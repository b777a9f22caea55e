package dev.herald.core.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} must do across an outage of its medium: tell its listener, refuse
 * publications meanwhile, and carry messages to its rooms again as soon as it says the link is up.
 * Subclasses make one node and know how to break and restore what it talks to.
 */
public abstract class BrokerLinkContract {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Instant> downSince = new CopyOnWriteArrayList<>();
    private Broker node;

    /** A node of a fresh cluster under test. */
    protected abstract Broker newNode();

    /** Makes the medium unreachable for {@code node} (kill the server, cut the link). */
    protected abstract void breakLink(Broker node) throws Exception;

    /** Makes it reachable again. */
    protected abstract void restoreLink(Broker node) throws Exception;

    private Broker started() {
        node = newNode();
        node.start(new BrokerListener() {
            @Override
            public void onMessage(String room, RoomMessage message) {
                events.add("message " + room + " " + ((RoomMessage.Emit) message).json());
            }

            @Override
            public void linkDown(Instant since) {
                downSince.add(since);
                events.add("down");
            }

            @Override
            public void linkUp() {
                events.add("up");
            }
        });
        return node;
    }

    @AfterEach
    void closeNode() {
        if (node != null) node.close();
    }

    private static RoomMessage emit(String json) {
        return new RoomMessage.Emit("e", json, Set.of());
    }

    @Test
    void tellsItsListenerWhenTheLinkGoesDownAndWhenItIsBack() throws Exception {
        Broker broker = started();
        Instant before = Instant.now();

        breakLink(broker);
        await().atMost(PATIENCE).until(() -> events.contains("down"));
        restoreLink(broker);
        await().atMost(PATIENCE).until(() -> events.contains("up"));

        assertThat(events).containsExactly("down", "up");
        assertThat(downSince.getFirst()).isBeforeOrEqualTo(Instant.now()).isAfter(before.minus(Duration.ofMinutes(1)));
    }

    @Test
    void refusesPublicationsWithBrokerUnavailableWhileTheLinkIsDown() throws Exception {
        Broker broker = started();
        broker.subscribe("user:1");

        breakLink(broker);
        await().atMost(PATIENCE).until(() -> events.contains("down"));

        assertThatThrownBy(() -> broker.publish("user:1", emit("1")).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(HeraldException.class)
                .extracting(e -> ((HeraldException) e).code()).isEqualTo(ErrorCode.BROKER_UNAVAILABLE);
        restoreLink(broker);
    }

    @Test
    void carriesMessagesToItsRoomsAsSoonAsItSaysTheLinkIsUp() throws Exception {
        Broker broker = started();
        broker.subscribe("team:1");
        await().atMost(PATIENCE).ignoreExceptions().until(() -> {
            broker.publish("team:1", emit("\"before\"")).toCompletableFuture().join();
            return events.contains("message team:1 \"before\"");
        });

        breakLink(broker);
        await().atMost(PATIENCE).until(() -> events.contains("down"));
        restoreLink(broker);
        await().atMost(PATIENCE).until(() -> events.contains("up"));
        broker.publish("team:1", emit("\"after\"")).toCompletableFuture().join();

        await().atMost(PATIENCE).until(() -> events.contains("message team:1 \"after\""));
    }
}
