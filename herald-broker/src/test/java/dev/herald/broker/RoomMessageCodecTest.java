package dev.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.route.RoomMessage;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomMessageCodecTest {
    @Test
    void carriesTheJsonArgumentVerbatim() {
        String json = "{ \"title\" : \"caf\u00e9 \u2603 \uD83D\uDE00\", \"n\": 1.50e3 }";
        RoomMessage m = new RoomMessage.Emit("notification", json, Set.of());

        assertThat(RoomMessageCodec.decode(RoomMessageCodec.encode(m))).isEqualTo(m);
    }

    @Test
    void keepsExcludedUserIdsEvenWithSeparatorsAndDigitsInThem() {
        RoomMessage m = new RoomMessage.Emit("a:b", "[1]", Set.of("12:3", "", "u\uD83D\uDE00", "9"));

        assertThat(RoomMessageCodec.decode(RoomMessageCodec.encode(m))).isEqualTo(m);
    }

    @Test
    void carriesBroadcastsWithAcksAndTheirReports() {
        RoomMessage ask = new RoomMessage.EmitWithAck("alert:1", "{\"a\":\"1:2\"}", Set.of("u:1"), "ack:7f3e", 5000);
        RoomMessage none = new RoomMessage.Acks(0, java.util.List.of());
        RoomMessage some = new RoomMessage.Acks(3, java.util.List.of("\"ok\"", "{\"x\":[1,\"2:3\"]}"));

        assertThat(RoomMessageCodec.decode(RoomMessageCodec.encode(ask))).isEqualTo(ask);
        assertThat(RoomMessageCodec.decode(RoomMessageCodec.encode(none))).isEqualTo(none);
        assertThat(RoomMessageCodec.decode(RoomMessageCodec.encode(some))).isEqualTo(some);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> RoomMessageCodec.decode("R1:2:1:a1:b"));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> RoomMessageCodec.decode("R2:1:1:ax"));
    }

    @Test
    void carriesDisconnectOrdersWithTheirReason() {
        RoomMessage m = new RoomMessage.Disconnect("server: maintenance");

        assertThat(RoomMessageCodec.decode(RoomMessageCodec.encode(m))).isEqualTo(m);
    }

    @Test
    void carriesTargetedDisconnectsWithTheirSockets() {
        RoomMessage m = new RoomMessage.Disconnect(
                new dev.herald.core.deliver.live.DisconnectReason("too_many_connections", "a newer: one replaced it"), Set.of("s:1", "s2"));

        assertThat(RoomMessageCodec.decode(RoomMessageCodec.encode(m))).isEqualTo(m);
    }

    @Test
    void isCompact() {
        assertThat(RoomMessageCodec.encode(new RoomMessage.Emit("e", "{}", Set.of("u1"))))
                .isEqualTo("E1:e1:2:u1{}");
    }

    @Test
    void refusesFramesItDidNotMake() {
        for (String bad : new String[] {"", "X1:e0:{}", "E", "E5:e0:{}", "E1:e", "E1:e0:", "E1:e3:2:u1{}", "E1:e99999999999:{}", "Ex:e0:{}"}) {
            assertThatThrownBy(() -> RoomMessageCodec.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
