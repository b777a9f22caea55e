package dev.herald.broker.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NatsSubjectTokenTest {
    @Test
    void keepsOrdinaryRoomNamesReadable() {
        assertThat(NatsBroker.token("team:1")).isEqualTo("team:1");
        assertThat(NatsBroker.token("user:abc-DEF_9")).isEqualTo("user:abc-DEF_9");
    }

    @Test
    void escapesWhatASubjectTokenCannotHold() {
        String token = NatsBroker.token("post:a.b *>~ caf\u00e9");

        assertThat(token).matches("[A-Za-z0-9_:~-]+");
        assertThat(token).isEqualTo("post:a~2Eb~20~2A~3E~7E~20caf~C3~A9");
    }

    @Test
    void roundTripsEveryRoomName() {
        for (String room : new String[] {"", "~", "a.b", "channel:news.tech", "dm:\uD83D\uDE00", "x~41", "\t"}) {
            assertThat(NatsBroker.roomOf(NatsBroker.token(room))).as(room).isEqualTo(room);
        }
    }

    @Test
    void refusesTokensItDidNotMake() {
        for (String bad : new String[] {"a~4", "a~ZZ", "a.b", "caf\u00e9"}) {
            assertThatThrownBy(() -> NatsBroker.roomOf(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
