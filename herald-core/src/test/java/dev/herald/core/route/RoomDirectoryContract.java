package dev.herald.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RoomDirectory} must do. Writes may be asynchronous, so reads are awaited; the
 * directories of two nodes sharing a backend see each other's members.
 */
public abstract class RoomDirectoryContract {
    protected final String run = UUID.randomUUID().toString().substring(0, 8);

    /** The directory of node {@code nodeId}; adapters backed by a server share one backend per test. */
    protected abstract RoomDirectory directory(String nodeId);

    private String room(String name) {
        return "channel:" + name + "-" + run;
    }

    private static void eventually(Runnable assertion) {
        Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(assertion::run);
    }

    @Test
    void countsEveryMemberAndForgetsThoseThatLeave() {
        RoomDirectory d = directory("node-a");
        String room = room("general");
        d.joined(room, "s1", "alice");
        d.joined(room, "s2", "alice");
        d.joined(room, "s3", "bob");
        eventually(() -> assertThat(d.members(room, Set.of())).isEqualTo(3));

        d.left(room, "s2", false);
        eventually(() -> assertThat(d.members(room, Set.of())).isEqualTo(2));
        d.left(room, "s1", false);
        d.left(room, "s3", true);
        eventually(() -> assertThat(d.members(room, Set.of())).isZero());
        assertThat(d.members(room("never"), Set.of())).isZero();
    }

    @Test
    void excludedUsersSessionsAreNotCounted() {
        RoomDirectory d = directory("node-a");
        String room = room("ops");
        d.joined(room, "s1", "alice");
        d.joined(room, "s2", "alice");
        d.joined(room, "s3", "bob");
        eventually(() -> assertThat(d.members(room, Set.of("alice"))).isEqualTo(1));
        assertThat(d.members(room, Set.of("alice", "bob"))).isZero();
        assertThat(d.members(room, Set.of("carol"))).isEqualTo(3);
    }

    @Test
    void aJoinRepeatedForOneSocketCountsOnce() {
        RoomDirectory d = directory("node-a");
        String room = room("dup");
        d.joined(room, "s1", "alice");
        d.joined(room, "s1", "alice");
        d.joined(room, "s2", "bob");
        eventually(() -> assertThat(d.members(room, Set.of())).isEqualTo(2));
    }
}
