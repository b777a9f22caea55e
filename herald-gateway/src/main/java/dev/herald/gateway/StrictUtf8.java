package dev.herald.gateway;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text frames must be valid UTF-8 (RFC 6455 §8.1): a frame that is not is closed with 1007 rather
 * than decoded with replacement characters. Netty's decoder does not check (its validator comes
 * with WebSocketServerProtocolHandler, which the gateway does not use).
 */
public final class StrictUtf8 {
    /** The close code for a text frame that is not UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;

    private StrictUtf8() {
    }

    /** The text, or null when the bytes are not valid UTF-8. */
    public static String decode(ByteBuf bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.nioBuffer()).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
