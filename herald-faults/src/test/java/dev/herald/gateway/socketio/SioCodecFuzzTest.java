package dev.herald.gateway.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.herald.gateway.engineio.EnginePacket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Socket.IO v5 packets from arbitrary text, with a few binary attachments: every packet decodes
 * and reconstructs, or is refused with {@link SioProtocolException} (the connection is closed);
 * nothing else may escape. A decoded plain packet, encoded again as the server would, decodes to
 * the same type, namespace and ack id.
 *
 * <p>Input format (so seeds can be written by hand): the packet text in UTF-8, then for each
 * attachment (at most 3) a NUL byte and its bytes. Seeds:
 * {@code src/test/resources/dev/herald/gateway/socketio/SioCodecFuzzTestInputs/}.
 */
class SioCodecFuzzTest {

    @FuzzTest(maxDuration = "15s")
    @Timeout(120)
    void decodesOrRefusesAnyPacket(byte[] input) {
        List<byte[]> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length || (input[i] == 0 && parts.size() < 3)) {
                parts.add(Arrays.copyOfRange(input, from, i));
                from = i + 1;
            }
        }
        String text = new String(parts.getFirst(), StandardCharsets.UTF_8);
        List<byte[]> attachments = parts.subList(1, parts.size());
        SioPacket packet;
        try {
            packet = SioCodec.decode(text);
            if (packet.attachments() > 0) SioCodec.reconstruct(packet.data(), attachments);
        } catch (SioProtocolException refused) {
            return;
        }
        if (packet.attachments() > 0) return;
        List<EnginePacket> encoded = SioCodec.encode(packet.type(), packet.nsp(), packet.ackId(), packet.data());
        assertThat(encoded).hasSize(1);
        SioPacket again = SioCodec.decode(encoded.getFirst().text());
        assertThat(again.type()).isEqualTo(packet.type());
        assertThat(again.nsp()).isEqualTo(packet.nsp());
        assertThat(again.ackId()).isEqualTo(packet.ackId());
    }
}
