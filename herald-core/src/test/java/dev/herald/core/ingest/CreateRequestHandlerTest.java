package dev.herald.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.route.Hub;
import dev.herald.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CreateRequestHandlerTest {
    private final MutableClock clock = MutableClock.at("2026-02-01T09:00:00Z");
    private final Hub hub = new Hub(new MemoryBroker());
    private final NotificationPipeline pipeline = new NotificationPipeline(new MemoryNotificationStore().storage(),
            new LiveNotifier(hub), clock, PipelineConfig.defaults());
    private final CreateRequestHandler handler = new CreateRequestHandler(pipeline, "nats");

    CreateRequestHandlerTest() {
        hub.start();
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    private IngestOutcome handle(String body, String key) {
        return handler.handle(new IngestMessage("nats", "notifications.orders", body.getBytes(StandardCharsets.UTF_8), key));
    }

    @Test
    void aRestBodyIsStoredAndTheSameMessageKeyAnswersTheSameIds() {
        String body = "{\"recipients\":[\"ann\"],\"type\":\"order\",\"title\":\"Shipped\"}";

        IngestOutcome first = handle(body, "msg-1");
        IngestOutcome again = handle(body, "msg-1");

        assertThat(first).isInstanceOf(IngestOutcome.Stored.class);
        IngestOutcome.Stored stored = (IngestOutcome.Stored) first;
        assertThat(((IngestOutcome.Stored) again).created().getFirst().ids()).isEqualTo(stored.created().getFirst().ids());
        assertThat(((IngestOutcome.Stored) again).created().getFirst().replayed()).isTrue();
        assertThat(handle(body, "msg-2")).isInstanceOfSatisfying(IngestOutcome.Stored.class,
                s -> assertThat(s.created().getFirst().ids()).doesNotContainAnyElementsOf(stored.created().getFirst().ids()));
    }

    @Test
    void theBodysIdempotencyKeyWinsOverTheMessageKey() {
        String body = "{\"recipients\":[\"ann\"],\"type\":\"order\",\"title\":\"Shipped\",\"idempotencyKey\":\"order-7\"}";

        IngestOutcome.Stored first = (IngestOutcome.Stored) handle(body, "msg-1");
        IngestOutcome.Stored second = (IngestOutcome.Stored) handle(body, "msg-2");

        assertThat(second.created().getFirst().ids()).isEqualTo(first.created().getFirst().ids());
    }

    @Test
    void whatCanNeverBeStoredIsPoisonWithTheReason() {
        assertThat(handle("{not json", "k1")).isEqualTo(new IngestOutcome.Poison("INVALID_ARGUMENT: not JSON (9 bytes)"));
        assertThat(handle("{\"recipients\":[\"ann\"],\"type\":\"order\",\"title\":\"x\",\"sheduledAt\":\"now\"}", "k2"))
                .isEqualTo(new IngestOutcome.Poison("INVALID_ARGUMENT: sheduledAt: unknown field"));
        assertThat(handle("{\"recipients\":[\"ann\"],\"type\":\"order\",\"title\":\"x\",\"channels\":[\"email\"]}", "k3"))
                .isInstanceOfSatisfying(IngestOutcome.Poison.class, p -> assertThat(p.reason()).startsWith("CHANNEL_NOT_CONFIGURED: "));
    }

    @Test
    void aStoreOutageOrARateLimitIsRetriedNotDeadLettered() {
        assertThat(IngestOutcome.ofFailure(new HeraldException(ErrorCode.UNAVAILABLE, "store down")))
                .isEqualTo(new IngestOutcome.Retry("UNAVAILABLE: store down"));
        assertThat(IngestOutcome.ofFailure(new HeraldException(ErrorCode.RATE_LIMITED, "slow down")))
                .isInstanceOf(IngestOutcome.Retry.class);
        assertThat(IngestOutcome.ofFailure(new IllegalStateException("pool closed")))
                .isEqualTo(new IngestOutcome.Retry("IllegalStateException: pool closed"));
        assertThat(IngestOutcome.ofFailure(new HeraldException(ErrorCode.CONFLICT, "key reused")))
                .isEqualTo(new IngestOutcome.Poison("CONFLICT: key reused"));
    }
}
