package dev.herald.channels.email;

import static dev.herald.channels.email.SmtpEmailSenderTest.HTML;
import static dev.herald.channels.email.SmtpEmailSenderTest.LINKS;
import static dev.herald.channels.email.SmtpEmailSenderTest.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.channels.testing.SmtpPeer;
import dev.herald.channels.webhook.InvalidSetting;
import dev.herald.core.deliver.dispatch.SendResult;
import dev.herald.core.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signature on the exact bytes the relay received, verified by Apache jDKIM with the public key. */
class DkimSigningTest {
    @TempDir
    Path dir;

    private final KeyPair keys = rsa();
    private final KeyPair otherKeys = rsa();

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Path pem(KeyPair pair) throws Exception {
        Path file = dir.resolve("dkim-" + System.nanoTime() + ".pem");
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded());
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
        return file;
    }

    /** The DNS TXT record of herald._domainkey.example.com, served without DNS. */
    private static PublicKeyRecordRetriever dns(KeyPair pair) {
        String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        return (method, selector, token) -> selector.toString().equals("herald") && token.toString().equals("example.com")
                ? List.of(record) : List.of();
    }

    private SmtpPeer.Received sendSigned(SmtpPeer peer, Path key) throws Exception {
        EmailConfig config = EmailConfig.read(Map.of("SMTP_URL", "smtp://127.0.0.1:" + peer.port(),
                "EMAIL_FROM", "Herald <noreply@example.com>", "DKIM_DOMAIN", "example.com", "DKIM_SELECTOR", "herald",
                "DKIM_PRIVATE_KEY_FILE", key.toString())::get).orElseThrow();
        SendResult result = new SmtpEmailSender(config, Optional.of(LINKS), MutableClock.at("2026-03-10T08:00:00Z"))
                .send(message("d-1", "ada@example.org", HTML));
        assertThat(result).isInstanceOf(SendResult.Sent.class);
        return peer.received().getFirst();
    }

    @Test
    void aSignedMessageVerifiesWithThePublicKeyAndCoversTheUnsubscribeHeaders() throws Exception {
        try (SmtpPeer peer = SmtpPeer.start()) {
            SmtpPeer.Received got = sendSigned(peer, pem(keys));

            List<SignatureRecord> signatures = new DKIMVerifier(dns(keys)).verify(new ByteArrayInputStream(got.data()));
            assertThat(signatures).hasSize(1);
            SignatureRecord signature = signatures.getFirst();
            assertThat(signature.getDToken()).hasToString("example.com");
            assertThat(signature.getSelector()).hasToString("herald");
            assertThat(signature.getHashAlgo()).hasToString("sha-256");
            assertThat(signature.getHeaders()).map(CharSequence::toString).map(String::toLowerCase)
                    .contains("from", "to", "subject", "list-unsubscribe", "list-unsubscribe-post");
        }
    }

    @Test
    void aSignatureMadeWithAnotherKeyDoesNotVerify() throws Exception {
        try (SmtpPeer peer = SmtpPeer.start()) {
            SmtpPeer.Received got = sendSigned(peer, pem(otherKeys));

            assertThatThrownBy(() -> new DKIMVerifier(dns(keys)).verify(new ByteArrayInputStream(got.data())))
                    .isInstanceOf(FailException.class);
        }
    }

    @Test
    void aChangedBodyNoLongerVerifies() throws Exception {
        try (SmtpPeer peer = SmtpPeer.start()) {
            String tampered = sendSigned(peer, pem(keys)).text().replace("12.50 EUR", "99.50 EUR");

            assertThatThrownBy(() -> new DKIMVerifier(dns(keys)).verify(
                    new ByteArrayInputStream(tampered.getBytes(StandardCharsets.ISO_8859_1)))).isInstanceOf(FailException.class);
        }
    }

    @Test
    void aKeyFileThatHoldsNoKeyStopsTheStartNamingTheVariable() throws Exception {
        Path bad = dir.resolve("bad.pem");
        Files.writeString(bad, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> EmailConfig.read(Map.of("SMTP_URL", "smtp://127.0.0.1:25", "EMAIL_FROM", "noreply@example.com",
                "DKIM_DOMAIN", "example.com", "DKIM_SELECTOR", "herald", "DKIM_PRIVATE_KEY_FILE", bad.toString())::get))
                .isInstanceOf(InvalidSetting.class).extracting(e -> ((InvalidSetting) e).variable()).isEqualTo("DKIM_PRIVATE_KEY_FILE");
    }
}
