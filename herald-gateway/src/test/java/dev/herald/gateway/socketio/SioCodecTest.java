package dev.herald.gateway.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import dev.herald.gateway.engineio.EnginePacket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SioCodecTest {

    @Test
    void decodesAConnectToTheMainNamespaceWithoutPayload() {
        SioPacket p = SioCodec.decode("0");

        assertThat(p.type()).isEqualTo(SioPacket.Type.CONNECT);
        assertThat(p.nsp()).isEqualTo("/");
        assertThat(p.data()).isNull();
    }

    @Test
    void decodesAConnectWithAuthPayloadToACustomNamespace() {
        SioPacket p = SioCodec.decode("0/custom,{\"token\":\"abc\"}");

        assertThat(p.nsp()).isEqualTo("/custom");
        assertThat(p.data().get("token").asText()).isEqualTo("abc");
    }

    @Test
    void acceptsANamespaceEndingTheStringWithoutComma() {
        assertThat(SioCodec.decode("0/custom").nsp()).isEqualTo("/custom");
        assertThat(SioCodec.decode("1/custom").type()).isEqualTo(SioPacket.Type.DISCONNECT);
    }

    @Test
    void decodesAnEventWithAckId() {
        SioPacket p = SioCodec.decode("2456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");

        assertThat(p.type()).isEqualTo(SioPacket.Type.EVENT);
        assertThat(p.ackId()).isEqualTo(456);
        assertThat(p.data().get(0).asText()).isEqualTo("message-with-ack");
    }

    @Test
    void decodesAnAckInANamespace() {
        SioPacket p = SioCodec.decode("3/admin,12[\"ok\"]");

        assertThat(p.type()).isEqualTo(SioPacket.Type.ACK);
        assertThat(p.nsp()).isEqualTo("/admin");
        assertThat(p.ackId()).isEqualTo(12);
    }

    @Test
    void decodesBinaryEventAndAckHeaders() {
        SioPacket event = SioCodec.decode("52-[\"m\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        SioPacket ack = SioCodec.decode("61-/x,789[{\"_placeholder\":true,\"num\":0}]");

        assertThat(event.type()).isEqualTo(SioPacket.Type.BINARY_EVENT);
        assertThat(event.attachments()).isEqualTo(2);
        assertThat(ack.type()).isEqualTo(SioPacket.Type.BINARY_ACK);
        assertThat(ack.nsp()).isEqualTo("/x");
        assertThat(ack.ackId()).isEqualTo(789);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "9", "2{}", "2abc[\"message\"]", "2[]", "2[1]", "3[1]", "4{\"message\":\"x\"}",
            "1{\"a\":1}", "0[1]", "5-[\"a\"]", "5x-[\"a\"]", "2[\"a\"] trailing", "2[\"a\"", "21234567890123456[\"a\"]"})
    void rejectsMalformedPackets(String packet) {
        assertThatThrownBy(() -> SioCodec.decode(packet)).isInstanceOf(SioProtocolException.class);
    }

    @Test
    void reassemblesPlaceholdersNestedAnywhereInOrder() {
        SioPacket p = SioCodec.decode("52-[\"m\",{\"a\":[{\"_placeholder\":true,\"num\":1}],\"b\":{\"_placeholder\":true,\"num\":0}}]");

        JsonNode data = SioCodec.reconstruct(p.data(), List.of(new byte[]{1}, new byte[]{2, 2}));

        assertThat(data.get(1).get("a").get(0)).isInstanceOf(BinaryNode.class);
        assertThat(((BinaryNode) data.get(1).get("a").get(0)).binaryValue()).containsExactly(2, 2);
        assertThat(((BinaryNode) data.get(1).get("b")).binaryValue()).containsExactly(1);
    }

    @Test
    void rejectsAPlaceholderPointingPastTheAttachments() {
        SioPacket p = SioCodec.decode("51-[\"m\",{\"_placeholder\":true,\"num\":3}]");

        assertThatThrownBy(() -> SioCodec.reconstruct(p.data(), List.of(new byte[]{1})))
                .isInstanceOf(SioProtocolException.class);
    }

    @Test
    void encodesAPlainEventForTheMainNamespace() {
        List<EnginePacket> out = SioCodec.encode(SioPacket.Type.EVENT, "/", -1, SioCodec.toArray("hi", 1, "2", Map.of("3", List.of(true))));

        assertThat(out).singleElement().extracting(EnginePacket::text).isEqualTo("2[\"hi\",1,\"2\",{\"3\":[true]}]");
    }

    @Test
    void extractsByteArraysAtAnyDepthIntoAttachments() {
        Object nested = Map.of("file", new byte[]{9, 8});
        List<EnginePacket> out = SioCodec.encode(SioPacket.Type.EVENT, "/custom", 7,
                SioCodec.toArray("up", new byte[]{1, 2, 3}, nested));

        assertThat(out).hasSize(3);
        assertThat(out.get(0).text()).isEqualTo(
                "52-/custom,7[\"up\",{\"_placeholder\":true,\"num\":0},{\"file\":{\"_placeholder\":true,\"num\":1}}]");
        assertThat(out.get(1).binary()).containsExactly(1, 2, 3);
        assertThat(out.get(2).binary()).containsExactly(9, 8);
    }

    @Test
    void turnsAnAckWithBinaryIntoABinaryAck() {
        List<EnginePacket> out = SioCodec.encode(SioPacket.Type.ACK, "/", 789, SioCodec.toArray(null, new byte[]{1}));

        assertThat(out.get(0).text()).isEqualTo("61-789[{\"_placeholder\":true,\"num\":0}]");
    }

    @Test
    void encodesConnectErrorAsAnObject() {
        var body = SioCodec.MAPPER.createObjectNode().put("message", "Invalid namespace");

        assertThat(SioCodec.encode(SioPacket.Type.CONNECT_ERROR, "/random", -1, body).getFirst().text())
                .isEqualTo("4/random,{\"message\":\"Invalid namespace\"}");
    }
}
