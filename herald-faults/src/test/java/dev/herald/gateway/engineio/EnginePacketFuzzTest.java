package dev.herald.gateway.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Engine.IO v4 from arbitrary bytes, as a WebSocket text frame and as a polling POST body: every
 * input decodes or is refused with {@link EngineProtocolException} (the session is then closed
 * with a protocol error); nothing else may escape. A decoded frame encodes back to exactly what
 * was sent, and a decoded payload survives the server's own encoding.
 *
 * <p>Seeds: {@code src/test/resources/dev/herald/gateway/engineio/EnginePacketFuzzTestInputs/}.
 */
class EnginePacketFuzzTest {

    @FuzzTest(maxDuration = "15s")
    @Timeout(120)
    void decodesOrRefusesAnyFrameAndPayload(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            EnginePacket packet = EnginePacket.decodeText(text, false);
            assertThat(packet.isBinary()).isFalse();
            assertThat(packet.encodeText()).isEqualTo(text);
        } catch (EngineProtocolException refused) {
            // a coded refusal: the connection closes with a protocol error
        }
        List<EnginePacket> packets;
        try {
            packets = EnginePacket.decodePayload(text);
        } catch (EngineProtocolException refused) {
            return;
        }
        List<String> sent = packets.stream().map(EnginePacket::encodeText).toList();
        List<EnginePacket> again = EnginePacket.decodePayload(new String(EnginePacket.encodePayload(packets), StandardCharsets.UTF_8));
        assertThat(again).extracting(EnginePacket::encodeText).containsExactlyElementsOf(sent);
    }
}
