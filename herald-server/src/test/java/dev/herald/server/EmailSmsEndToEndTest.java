package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.herald.channels.testing.SmsProvider;
import dev.herald.core.Json;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Email and SMS as a user runs them: Herald pointed at GreenMail (SMTP_URL) and at a local
 * Twilio-shaped API (SMS_URL), DKIM signing on, notifications created over REST, the signature
 * verified by Apache jDKIM, the one-click unsubscribe link of the email followed, and
 * POST /notifications/test answered per channel.
 */
class EmailSmsEndToEndTest {
    private static final String SID = "AC00000000000000000000000000000001";
    private static final String TOKEN = "sms-auth-token-e2e";

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(setup());

    private static ServerSetup setup() {
        ServerSetup s = ServerSetupTest.SMTP.dynamicPort();
        s.setServerStartupTimeout(15_000);
        return s;
    }

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final TestTokens tokens = new TestTokens();
    private SmsProvider sms;
    private Herald herald;
    private int port;

    private final KeyPair dkim = rsa();

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void start() throws Exception {
        sms = SmsProvider.start(SID, TOKEN);
        Path key = dataDir.resolve("dkim.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(dkim.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Map<String, String> env = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "ENABLE_GRPC", "false", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY,
                "SMTP_URL", "smtp://127.0.0.1:" + greenMail.getSmtp().getPort(), "EMAIL_FROM", "Herald <noreply@example.com>",
                "HERALD_PUBLIC_URL", "https://notify.example.com"));
        env.putAll(Map.of("DKIM_DOMAIN", "example.com", "DKIM_SELECTOR", "herald", "DKIM_PRIVATE_KEY_FILE", key.toString()));
        env.putAll(Map.of("SMS_URL", sms.url(), "SMS_ACCOUNT_SID", SID, "SMS_AUTH_TOKEN", TOKEN, "SMS_FROM", "+15005550006"));
        herald = Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC());
        port = herald.clientPort();
    }

    @AfterEach
    void stop() {
        if (herald != null) herald.close();
        if (sms != null) sms.close();
    }

    private HttpResponse<String> call(String method, String path, String bearer, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) b.header("authorization", "Bearer " + bearer);
        if (contentType != null) b.header("content-type", contentType);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, String bearer, String body) throws Exception {
        HttpResponse<String> r = call(method, path, bearer, "application/json", body);
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return r.body().isEmpty() ? Json.object() : Json.parse(r.body(), "answer");
    }

    private void contact(String user, String body) throws Exception {
        ok("PUT", "/api/v1/users/" + user + "/contact", TestTokens.API_KEY, body);
    }

    private String notify(String user, String type, String channel) throws Exception {
        return ok("POST", "/api/v1/notifications", TestTokens.API_KEY, "{\"recipients\":[\"" + user + "\"],\"type\":\"" + type
                + "\",\"title\":\"Payment confirmed\",\"message\":\"12.50 EUR received\",\"channels\":[\"" + channel + "\"]}")
                .path("ids").get(0).asText();
    }

    private JsonNode delivery(String notificationId) throws Exception {
        return ok("GET", "/api/v1/notifications/" + notificationId + "/deliveries", TestTokens.API_KEY, null).path("deliveries").get(0);
    }

    @Test
    void anEmailNotificationCreatedOverRestArrivesAndItsOneClickLinkSwitchesTheTypeOff() throws Exception {
        start();
        contact("ada", "{\"email\":\"ada@example.org\"}");
        String id = notify("ada", "payment", "email");

        await().atMost(Duration.ofSeconds(20)).until(() -> greenMail.getReceivedMessages().length == 1);
        MimeMessage got = greenMail.getReceivedMessages()[0];
        assertThat(got.getSubject()).isEqualTo("Payment confirmed");
        assertThat(got.getAllRecipients()[0].toString()).isEqualTo("ada@example.org");
        Object content = got.getContent();
        String text = content instanceof MimeMultipart m ? (String) m.getBodyPart(0).getContent() : (String) content;
        assertThat(text).isEqualTo("12.50 EUR received");
        await().atMost(Duration.ofSeconds(10)).until(() -> delivery(id).path("status").asText().equals("sent"));
        assertThat(delivery(id).path("history").get(0).path("providerId").asText()).isEqualTo(got.getMessageID());

        // The DKIM signature holds over the message as the relay stored it, checked with the public key.
        String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(dkim.getPublic().getEncoded());
        List<SignatureRecord> signatures = new DKIMVerifier((method, selector, domain) ->
                selector.toString().equals("herald") && domain.toString().equals("example.com") ? List.of(record) : List.of())
                .verify(new ByteArrayInputStream(GreenMailUtil.getWholeMessage(got).getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(signatures).singleElement().satisfies(sig -> assertThat(sig.getDToken()).hasToString("example.com"));

        String header = got.getHeader("List-Unsubscribe", null);
        assertThat(header).startsWith("<https://notify.example.com/api/v1/unsubscribe/").endsWith(">");
        assertThat(got.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        String path = URI.create(header.substring(1, header.length() - 1)).getRawPath();
        // What a mail client's one-click button sends: no login, a form body.
        HttpResponse<String> clicked = call("POST", path, null, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click");
        assertThat(clicked.statusCode()).as(clicked.body()).isEqualTo(200);

        JsonNode prefs = ok("GET", "/api/v1/notifications/preferences", tokens.user("ada", null), null);
        assertThat(prefs.path("types").path("payment").path("email").asBoolean(true)).isFalse();
        String skipped = notify("ada", "payment", "email");
        JsonNode refused = delivery(skipped);
        assertThat(refused.path("status").asText()).isEqualTo("skipped");
        assertThat(refused.path("reason").asText()).isEqualTo("type_disabled");
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void theTestRouteSendsOnEveryConfiguredChannelAndSaysWhyNotOnTheOthers() throws Exception {
        start();
        contact("bo", "{\"email\":\"bo@example.org\",\"phone\":\"+33612345678\"}");

        JsonNode answer = ok("POST", "/api/v1/notifications/test", tokens.user("bo", null), null);

        JsonNode channels = answer.path("channels");
        assertThat(answer.path("userId").asText()).isEqualTo("bo");
        assertThat(channels.path("inApp").path("status").asText()).isEqualTo("sent");
        assertThat(channels.path("email").path("status").asText()).isEqualTo("sent");
        assertThat(channels.path("sms").path("status").asText()).isEqualTo("sent");
        assertThat(channels.path("push").path("status").asText()).isEqualTo("not_configured");
        assertThat(channels.path("webhook").path("status").asText()).isEqualTo("not_configured");
        assertThat(greenMail.getReceivedMessages()).singleElement()
                .satisfies(m -> assertThat(m.getSubject()).isEqualTo("Test notification from Herald"));
        assertThat(sms.accepted()).singleElement().satisfies(m -> {
            assertThat(m.to()).isEqualTo("+33612345678");
            assertThat(channels.path("sms").path("providerId").asText()).isEqualTo(m.sid());
        });
        JsonNode inbox = ok("GET", "/api/v1/notifications", tokens.user("bo", null), null);
        assertThat(inbox.path("notifications").get(0).path("type").asText()).isEqualTo("test");
    }

    @Test
    void theTestRouteSaysWhatIsMissingForAUserWithoutAddresses() throws Exception {
        start();
        ok("PUT", "/api/v1/users/cy/preferences", TestTokens.API_KEY, "{\"channels\":{\"sms\":false}}");

        JsonNode channels = ok("POST", "/api/v1/notifications/test", tokens.user("cy", null), null).path("channels");

        assertThat(channels.path("email").path("status").asText()).isEqualTo("no_address");
        assertThat(channels.path("sms").path("status").asText()).isEqualTo("disabled");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
        assertThat(sms.accepted()).isEmpty();
    }

    @Test
    void anSmsNotificationLogsItsSidAndItsEncodingAndSegments() throws Exception {
        start();
        contact("dee", "{\"phone\":\"+33612345678\"}");
        String id = notify("dee", "payment", "sms");

        await().atMost(Duration.ofSeconds(20)).until(() -> delivery(id).path("status").asText().equals("sent"));
        JsonNode attempt = delivery(id).path("history").get(0);
        assertThat(sms.accepted()).singleElement().satisfies(m -> {
            assertThat(m.body()).isEqualTo("12.50 EUR received");
            assertThat(attempt.path("providerId").asText()).isEqualTo(m.sid());
        });
        assertThat(attempt.path("provider").asText()).isEqualTo("twilio");
        assertThat(attempt.path("detail").asText()).isEqualTo("encoding=gsm7 length=18 segments=1");
    }
}
