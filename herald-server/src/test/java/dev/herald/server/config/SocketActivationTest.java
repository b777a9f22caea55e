package dev.herald.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SocketActivationTest {
    private static final long PID = 4242;

    @Test
    void socketsPassedToThisProcessMakeDescriptorThreeTheClientPort() {
        assertThat(SocketActivation.clientSocket(new Env(Map.of("LISTEN_FDS", "1", "LISTEN_PID", "4242")), PID))
                .isEqualTo(OptionalInt.of(3));
        assertThat(SocketActivation.clientSocket(new Env(Map.of("LISTEN_FDS", "2", "LISTEN_PID", "4242")), PID))
                .isEqualTo(OptionalInt.of(3));
    }

    @Test
    void socketsMeantForAnotherProcessAreIgnored() {
        assertThat(SocketActivation.clientSocket(new Env(Map.of("LISTEN_FDS", "1", "LISTEN_PID", "17")), PID)).isEmpty();
    }

    @Test
    void withoutLISTEN_PIDOrWithNoSocketsHeraldBindsItself() {
        assertThat(SocketActivation.clientSocket(new Env(Map.of("LISTEN_FDS", "1")), PID)).isEmpty();
        assertThat(SocketActivation.clientSocket(new Env(Map.of("LISTEN_FDS", "0", "LISTEN_PID", "4242")), PID)).isEmpty();
        assertThat(SocketActivation.clientSocket(new Env(Map.of()), PID)).isEmpty();
    }

    @Test
    void aMalformedValueStopsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> SocketActivation.clientSocket(new Env(Map.of("LISTEN_FDS", "1", "LISTEN_PID", "me")), PID))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LISTEN_PID");
        assertThatThrownBy(() -> SocketActivation.clientSocket(new Env(Map.of("LISTEN_FDS", "many", "LISTEN_PID", "4242")), PID))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LISTEN_FDS");
    }

    @Test
    void theNetworkSettingsCarryNoInheritedSocketInAnOrdinaryStart() {
        assertThat(HeraldConfig.from(new Env(Map.of())).network().inheritedClientSocket()).isEmpty();
    }
}
