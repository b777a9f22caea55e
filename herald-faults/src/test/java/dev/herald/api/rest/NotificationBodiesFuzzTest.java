package dev.herald.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.herald.core.HeraldException;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.notification.CreateNotification;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * The REST create body, from arbitrary bytes through the same two steps the endpoint takes (the
 * JSON object, then {@link NotificationBodies#create}): every body becomes a create request or is
 * refused with a coded {@link HeraldException}, which the endpoint answers as a 4xx; nothing else
 * may escape (it would be a 500).
 *
 * <p>Seeds: {@code src/test/resources/dev/herald/api/rest/NotificationBodiesFuzzTestInputs/}.
 */
class NotificationBodiesFuzzTest {

    @FuzzTest(maxDuration = "15s")
    @Timeout(120)
    void readsOrRefusesAnyCreateBody(byte[] body) {
        HttpRequest request = new HttpRequest("POST", "/api/v1/notifications", Map.of(), Map.of(), body, "127.0.0.1");
        CreateNotification create;
        try {
            create = NotificationBodies.create(RestResponses.objectBody(request), "header-key", "fuzz-service");
        } catch (HeraldException refused) {
            assertThat(refused.code()).isNotNull();
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(create.recipients()).isNotNull();
        assertThat(create.caller()).isEqualTo("fuzz-service");
    }
}
