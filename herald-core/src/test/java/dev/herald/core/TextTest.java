package dev.herald.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class TextTest {
    private static HeraldException refusal(Runnable call) {
        HeraldException e = catchThrowableOfType(HeraldException.class, call::run);
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    @Test
    void acceptsOrdinaryTextWithAccentsAndEmoji() {
        assertThat(Text.require("title", "héllo ✓ 😀")).isEqualTo("héllo ✓ 😀");
        assertThat(Text.problem(null)).isNull();
    }

    @Test
    void refusesNulNamingTheField() {
        HeraldException e = refusal(() -> Text.require("title", "a\u0000b"));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.getMessage()).isEqualTo("title: must not contain U+0000");
    }

    @Test
    void refusesALoneHighSurrogate() {
        HeraldException e = refusal(() -> Text.require("title", "x\ud800"));

        assertThat(e.getMessage()).isEqualTo("title: must not contain an unpaired surrogate (U+D800)");
    }

    @Test
    void refusesALoneLowSurrogate() {
        assertThat(refusal(() -> Text.require("type", "\udc00x")).getMessage()).contains("U+DC00");
    }

    @Test
    void refusesWithTheCodeItIsGiven() {
        assertThat(refusal(() -> Text.require(ErrorCode.INVALID_TOKEN, "user_id", "\u0000")).code())
                .isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    @Test
    void namesTheJsonPathOfABadValueInATree() {
        var body = Json.parse("{\"recipients\":[\"a\",\"b\\u0000\"],\"data\":{\"note\":\"ok\"}}", "body");

        assertThat(refusal(() -> Text.requireTree("", body)).getMessage())
                .isEqualTo("recipients[1]: must not contain U+0000");
    }

    @Test
    void namesANestedObjectField() {
        var body = Json.parse("{\"data\":{\"deep\":{\"note\":\"\\ud800\"}}}", "body");

        assertThat(refusal(() -> Text.requireTree("", body)).getMessage()).startsWith("data.deep.note: ");
    }

    @Test
    void refusesABadFieldNameWithoutEchoingIt() {
        var body = Json.parse("{\"data\":{\"a\\u0000\":1}}", "body");

        assertThat(refusal(() -> Text.requireTree("", body)).getMessage())
                .isEqualTo("data: a field name must not contain U+0000");
    }

    @Test
    void namesTheRootWhenTheTreeIsOneString() {
        assertThat(refusal(() -> Text.requireTree("data", Json.MAPPER.getNodeFactory().textNode("\u0000"))).getMessage())
                .isEqualTo("data: must not contain U+0000");
    }
}
