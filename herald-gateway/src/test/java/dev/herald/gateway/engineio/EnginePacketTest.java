package dev.herald.gateway.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnginePacketTest {

    @Test
    void splitsAPollingPayloadOnTheRecordSeparator() {
        List<EnginePacket> packets = EnginePacket.decodePayload("4test1\u001e4test2\u001e2");

        assertThat(packets).extracting(EnginePacket::type)
                .containsExactly(EnginePacket.Type.MESSAGE, EnginePacket.Type.MESSAGE, EnginePacket.Type.PING);
        assertThat(packets).extracting(EnginePacket::text).containsExactly("test1", "test2", "");
    }

    @Test
    void decodesBase64BinaryEntriesInAPayload() {
        List<EnginePacket> packets = EnginePacket.decodePayload("4hello\u001ebAQIDBA==");

        assertThat(packets.get(1).isBinary()).isTrue();
        assertThat(packets.get(1).binary()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void encodesAPayloadWithTextAndBinaryPackets() {
        byte[] payload = EnginePacket.encodePayload(List.of(EnginePacket.message("hello"), EnginePacket.binary(new byte[]{1, 2, 3, 4})));

        assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("4hello\u001ebAQIDBA==");
    }

    @Test
    void keepsUtf8TextIntact() {
        byte[] payload = EnginePacket.encodePayload(List.of(EnginePacket.message("héllo ✓")));

        assertThat(EnginePacket.decodePayload(new String(payload, StandardCharsets.UTF_8)).getFirst().text()).isEqualTo("héllo ✓");
    }

    @Test
    void rejectsAnUnknownPacketType() {
        assertThatThrownBy(() -> EnginePacket.decodePayload("abc")).isInstanceOf(EngineProtocolException.class);
    }

    @Test
    void rejectsAnEmptyEntry() {
        assertThatThrownBy(() -> EnginePacket.decodePayload("4a\u001e\u001e4b")).isInstanceOf(EngineProtocolException.class);
    }

    @Test
    void rejectsBrokenBase64() {
        assertThatThrownBy(() -> EnginePacket.decodePayload("b$$$")).isInstanceOf(EngineProtocolException.class);
    }

    @Test
    void treatsAWebSocketTextStartingWithBAsAnUnknownType() {
        assertThatThrownBy(() -> EnginePacket.decodeText("bAQID", false)).isInstanceOf(EngineProtocolException.class);
    }
}
