package dev.herald.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.broker.nats.ingest.JetStreamIngest;
import dev.herald.broker.nats.ingest.JetStreamIngestConfig;
import dev.herald.core.ingest.rules.EventRuleHandler;
import dev.herald.core.ingest.rules.EventRules;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.server.Herald;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import dev.herald.server.config.RulesFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend publishes its own domain event on NATS and the rules file turns it into a notification:
 * seed 004's payment rule, on a subject made unique per run, through a durable JetStream consumer
 * into a pipeline that has the email channel configured (the dispatcher is not running, so the
 * email's outbox row stays pending for us to read), on the embedded store.
 */
class EventRulesEndToEndTest {
    @TempDir
    Path dataDir;

    private final TestNats nats = new TestNats();
    private final List<AutoCloseable> open = new ArrayList<>();

    EventRulesEndToEndTest() throws Exception {}

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
        nats.close();
    }

    private Path rulesFile() throws Exception {
        String example = Files.readString(Path.of("..", "docs", "examples", "rules.yaml"));
        Path file = dataDir.resolve("rules.yaml");
        Files.writeString(file, example.replace("subject: events.", "subject: " + nats.prefix + ".events."));
        return file;
    }

    @Test
    void aPaymentCompletedEventBecomesAnEmailAndAnInAppNotificationToThePayer() throws Exception {
        EventRules rules = RulesFile.load(rulesFile());
        TestPipeline intake = new TestPipeline(dataDir, EnumSet.of(Channel.IN_APP, Channel.EMAIL));
        open.add(intake);
        // The payer has an email address (without one, the email delivery is skipped with that reason).
        intake.storage.contacts().putContact(new Contact("payer-ann", "ann@example.org", null, null, null, null), Instant.now());
        JetStreamIngestConfig config = JetStreamIngestConfig.defaults().withStream(nats.stream, rules.subjects())
                .withDurable("herald-rules").withCreation(true, "limits", 1).withDlqPrefix(nats.dlqPrefix);
        JetStreamIngest ingest = new JetStreamIngest(nats.connection, config, new EventRuleHandler(intake.pipeline, rules, "rules"),
                intake.deadLetters, Clock.systemUTC(), new SimpleMeterRegistry(), "rules");
        ingest.start();
        open.add(ingest);

        Headers h = new Headers();
        h.put("Nats-Msg-Id", "pay-42");
        String event = "{\"paymentId\":\"pay-42\",\"status\":\"completed\",\"amount\":\"120.00\",\"currency\":\"EUR\","
                + "\"payer\":{\"userId\":\"payer-ann\",\"name\":\"Ann\"},\"payee\":{\"userId\":\"payee-bob\",\"name\":\"Bob Ltd\"}}";
        nats.connection.jetStream().publish(NatsMessage.builder().subject(nats.prefix + ".events.payment.completed").headers(h)
                .data(event.getBytes(StandardCharsets.UTF_8)).build());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(intake.rows("SELECT n.recipient_id FROM notifications n")).containsExactlyInAnyOrder("payer-ann", "payee-bob"));
        assertThat(intake.rows("SELECT type || '|' || priority || '|' || channel || '|' || title || '|' || message || '|' || data"
                + " FROM notifications WHERE recipient_id = ?", "payer-ann")).containsExactly(
                "payment.completed|high|payments|Payment sent|Your payment pay-42 of 120.00 EUR to Bob Ltd is complete."
                        + "|{\"paymentId\":\"pay-42\",\"amount\":\"120.00\",\"currency\":\"EUR\"}");
        // Email goes through the outbox; in-app is the inbox row itself (and a live emit).
        assertThat(intake.rows("SELECT o.channel || '|' || o.status FROM outbox o JOIN notifications n ON n.id = o.notification_id"
                + " WHERE n.recipient_id = ?", "payer-ann")).containsExactly("email|pending");
        assertThat(intake.rows("SELECT o.channel FROM outbox o JOIN notifications n ON n.id = o.notification_id"
                + " WHERE n.recipient_id = ?", "payee-bob")).isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                nats.connection.jetStreamManagement().getConsumerInfo(nats.stream, "herald-rules").getNumAckPending()).isZero());
    }

    @Test
    void aRuleNamingAChannelTheServerHasNoSettingsForStopsTheStart() throws Exception {
        Map<String, String> env = Map.of("SOCKETIO_PORT", "0", "ENABLE_GRPC", "false", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", "0123456789abcdef0123456789abcdef-test",
                "NATS_URL", nats.url, "HERALD_RULES_FILE", rulesFile().toString(), "NATS_RULES_STREAM", nats.stream,
                "NATS_CREATE_STREAM", "true");

        assertThatThrownBy(() -> open.add(Herald.start(HeraldConfig.from(new Env(env)), Clock.systemUTC())))
                .hasMessage("HERALD_RULES_FILE rule 'payment-completed-payer' sends by email, which this server has no"
                        + " settings for: configure it or take it out of the rule");
    }
}
