package dev.herald.core.route;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.HeraldException;
import dev.herald.core.auth.Principal;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomRulesTest {
    private final Principal alice = new Principal("alice", "t1", Set.of(), Set.of("g1"), null, null);
    private final Principal admin = new Principal("root", "t1", Set.of("admin"), Set.of(), null, null);
    private final RoomRules rules = new RoomRules(null);

    @Test
    void letsAUserIntoTheirOwnRoomsOnly() {
        assertThatCode(() -> rules.checkJoin(alice, "user:alice")).doesNotThrowAnyException();
        assertThatCode(() -> rules.checkJoin(alice, "team:t1")).doesNotThrowAnyException();
        assertThatThrownBy(() -> rules.checkJoin(alice, "user:bob")).isInstanceOf(HeraldException.class);
        assertThatThrownBy(() -> rules.checkJoin(alice, "team:t2")).isInstanceOf(HeraldException.class);
    }

    @Test
    void keepsTheAdminBroadcastForAdmins() {
        assertThatCode(() -> rules.checkJoin(admin, "admin:broadcast")).doesNotThrowAnyException();
        assertThatThrownBy(() -> rules.checkJoin(alice, "admin:broadcast")).isInstanceOf(HeraldException.class);
    }

    @Test
    void letsOnlyTheNamedParticipantsIntoADmWithoutAHook() {
        assertThatCode(() -> rules.checkJoin(alice, "dm:alice:bob")).doesNotThrowAnyException();
        assertThatThrownBy(() -> rules.checkJoin(alice, "dm:carol:bob")).isInstanceOf(HeraldException.class);
    }

    @Test
    void asksTheHookForPostsAndDmsWhenOneIsConfigured() {
        RoomRules hooked = new RoomRules((p, room) -> room.equals("post:7"));
        assertThatCode(() -> hooked.checkJoin(alice, "post:7")).doesNotThrowAnyException();
        assertThatThrownBy(() -> hooked.checkJoin(alice, "post:8")).isInstanceOf(HeraldException.class);
        assertThatThrownBy(() -> hooked.checkJoin(alice, "dm:alice:bob")).isInstanceOf(HeraldException.class);
    }

    @Test
    void refusesUnknownRoomTypesAndMalformedNames() {
        assertThatThrownBy(() -> rules.checkJoin(alice, "secret:1")).isInstanceOf(HeraldException.class);
        assertThatThrownBy(() -> rules.checkJoin(alice, "no-colon")).isInstanceOf(HeraldException.class);
        assertThatThrownBy(() -> rules.checkJoin(alice, "group:")).isInstanceOf(HeraldException.class);
    }
}
