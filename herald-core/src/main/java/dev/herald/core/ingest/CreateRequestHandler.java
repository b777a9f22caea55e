package dev.herald.core.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.Json;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A message whose body is a create request, exactly the REST body ({@link CreateRequestJson}). Its
 * idempotency key is the body's {@code idempotencyKey} when it has one, else the broker's message
 * key ({@code Nats-Msg-Id}, a stream position), so a redelivery is stored once. Keys are scoped by
 * {@code caller} ({@code nats}, {@code redis}), as REST scopes them by the calling service.
 */
public final class CreateRequestHandler implements IngestHandler {
    /** As REST: a body over 1 MB is refused. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper(Json.factory()).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final NotificationIntake intake;
    private final String caller;

    public CreateRequestHandler(NotificationIntake intake, String caller) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.caller = Objects.requireNonNull(caller, "caller");
    }

    @Override
    public IngestOutcome handle(IngestMessage message) {
        JsonNode body;
        try {
            body = parse(message.body());
        } catch (IllegalArgumentException e) {
            return new IngestOutcome.Poison(e.getMessage());
        }
        try {
            String key = body.path("idempotencyKey").isTextual() ? null : message.messageKey();
            return new IngestOutcome.Stored(List.of(intake.create(CreateRequestJson.create(body, key, caller))));
        } catch (RuntimeException e) {
            return IngestOutcome.ofFailure(e);
        }
    }

    /** One JSON value of at most {@link #MAX_BODY_BYTES}; the message says what is wrong, never the content. */
    public static JsonNode parse(byte[] body) {
        if (body.length > MAX_BODY_BYTES) throw new IllegalArgumentException("PAYLOAD_TOO_LARGE: body over " + MAX_BODY_BYTES + " bytes");
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) throw new IllegalArgumentException("INVALID_ARGUMENT: empty body");
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("INVALID_ARGUMENT: not JSON (" + body.length + " bytes)");
        }
    }
}
