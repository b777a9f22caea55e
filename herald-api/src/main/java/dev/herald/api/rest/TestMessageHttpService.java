package dev.herald.api.rest;

import static dev.herald.api.rest.RestResponses.ok;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.core.deliver.dispatch.TestMessages;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.core.notification.Channel;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/notifications/test} (seed 004): the caller (a user's JWT; a service names the
 * user with {@code ?userId=}) receives a test message on every channel, and the answer says per
 * channel {@code sent} or why not:
 * <pre>
 * {"userId": "alice", "channels": {
 *    "inApp": {"status": "sent", "providerId": "&lt;notification id&gt;"},
 *    "email": {"status": "sent", "providerId": "&lt;…@example.com&gt;"},
 *    "push":  {"status": "no_address", "reason": "no push device registered"},
 *    "sms":   {"status": "not_configured", "reason": "the server has no sms settings"},
 *    "webhook": {"status": "disabled", "reason": "channel_disabled"}}}
 * </pre>
 * Statuses: {@code sent}, {@code failed} (the provider's reason), {@code not_configured},
 * {@code disabled} (switched off in the preferences), {@code no_address}, {@code rate_limited}.
 * Chain it before {@link NotificationsHttpService}, which would take {@code test} for an id.
 */
public final class TestMessageHttpService implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(TestMessageHttpService.class);
    public static final String PATH = NotificationsHttpService.NOTIFICATIONS + "/test";

    private final TestMessages messages;
    private final ServiceAuth auth;
    private final RestRouter router;

    public TestMessageHttpService(TestMessages messages, ServiceAuth auth) {
        this.messages = Objects.requireNonNull(messages, "messages");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.router = RestRouter.builder().route("POST", PATH, (r, p) -> send(Callers.owner(this.auth, r))).build();
    }

    public List<RestRouter.Route> routes() {
        return router.routes();
    }

    @Override
    public Optional<HttpResponse> handle(HttpRequest request) {
        if (!RestRouter.canonical(request.path()).equals(PATH)) return Optional.empty();
        return router.serve(request, log, 4096);
    }

    private HttpResponse send(String userId) {
        Map<Channel, TestMessages.Outcome> outcomes = messages.send(userId);
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("userId", userId);
        ObjectNode channels = body.putObject("channels");
        outcomes.forEach((channel, o) -> {
            ObjectNode c = channels.putObject(channel.wire()).put("status", o.status());
            if (o.reason() != null) c.put("reason", o.reason());
            if (o.providerId() != null) c.put("providerId", o.providerId());
        });
        return ok(body);
    }
}
