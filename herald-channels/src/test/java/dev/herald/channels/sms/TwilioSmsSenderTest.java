package dev.herald.channels.sms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.channels.testing.SmsProvider;
import dev.herald.core.deliver.dispatch.OutboundMessage;
import dev.herald.core.deliver.dispatch.SendResult;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.Priority;
import dev.herald.core.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TwilioSmsSenderTest {
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "token-of-the-account";

    private final MutableClock clock = MutableClock.at("2026-03-10T08:00:00Z");
    private final SmsProvider provider = start();
    private TwilioSmsSender sender;

    private static SmsProvider start() {
        try {
            return SmsProvider.start(SID, TOKEN);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        if (sender != null) sender.close();
        provider.close();
    }

    private TwilioSmsSender sender(String token) {
        sender = new TwilioSmsSender(new SmsConfig(URI.create(provider.url()), SID, token, "+15005550006", Duration.ofSeconds(5)), clock);
        return sender;
    }

    static OutboundMessage message(String phone, String text) {
        var target = new Delivery.Target("n1", "u1", "payment", Channel.SMS, Priority.HIGH, Delivery.Kind.STANDARD, null);
        return new OutboundMessage("d-1", target, 1, new Contact("u1", null, phone, null, null, null),
                new OutboundMessage.Content("Payment", text, null, "{}"));
    }

    @Test
    void postsTheFormWithBasicAuthAndKeepsTheSidAndTheEncoding() {
        SendResult result = sender(TOKEN).send(message("+33612345678", "Your code is 123456 & expires soon"));

        assertThat(provider.refused()).isZero();
        SmsProvider.Message got = provider.accepted().getFirst();
        assertThat(got.to()).isEqualTo("+33612345678");
        assertThat(got.from()).isEqualTo("+15005550006");
        assertThat(got.body()).isEqualTo("Your code is 123456 & expires soon");
        assertThat(result).isEqualTo(new SendResult.Sent(got.sid(), "encoding=gsm7 length=34 segments=1"));
    }

    @Test
    void aTextOutsideGsm7IsUcs2AndItsSegmentsAreCounted() {
        String text = "Paiement reçu ✅ ".repeat(5);
        SendResult result = sender(TOKEN).send(message("+33612345678", text));

        assertThat(provider.accepted().getFirst().body()).isEqualTo(text);
        assertThat(((SendResult.Sent) result).detail()).isEqualTo("encoding=ucs2 length=80 segments=2");
    }

    @Test
    void anInvalidNumberFailsWithTheProvidersCodeAndNotItsText() {
        assertThat(sender(TOKEN).send(message("0612", "hi"))).isEqualTo(new SendResult.Failed("http 400 code 21211"));
    }

    @Test
    void aRefusedTokenIsRetriedForTheOperatorToFix() {
        assertThat(sender("wrong-token").send(message("+33612345678", "hi")))
                .isEqualTo(new SendResult.Retry("sms auth refused (http 401 code 20003)", null));
        assertThat(provider.refused()).isEqualTo(1);
        assertThat(provider.accepted()).isEmpty();
    }

    @Test
    void tooManyRequestsAndServerErrorsAreRetriedWithTheRetryAfterHint() {
        provider.then(new SmsProvider.Answer(429, "{\"code\":20429,\"message\":\"Too Many Requests\"}", "30"),
                new SmsProvider.Answer(503, "", null));
        TwilioSmsSender s = sender(TOKEN);

        assertThat(s.send(message("+33612345678", "hi"))).isEqualTo(new SendResult.Retry("http 429 code 20429", Duration.ofSeconds(30)));
        assertThat(s.send(message("+33612345678", "hi"))).isEqualTo(new SendResult.Retry("http 503", null));
        assertThat(s.send(message("+33612345678", "hi"))).isInstanceOf(SendResult.Sent.class);
    }

    @Test
    void aProviderThatIsDownIsRetried() {
        provider.close();
        assertThat(sender(TOKEN).send(message("+33612345678", "hi"))).isEqualTo(new SendResult.Retry("connection refused", null));
    }
}
