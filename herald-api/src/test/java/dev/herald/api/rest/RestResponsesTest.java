package dev.herald.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** What becomes of a failure inside a REST handler: the answer, and the log line that explains a 500. */
class RestResponsesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final Logger log = (Logger) LoggerFactory.getLogger("rest-responses-test");
    final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        log.addAppender(appender);
    }

    @AfterEach
    void release() {
        log.detachAppender(appender);
    }

    static HttpRequest request(Map<String, String> headers) {
        return new HttpRequest("POST", "/api/v1/notifications", Map.of(), headers, "{\"title\":\"secret body\"}".getBytes(), "127.0.0.1");
    }

    HttpResponse run(Map<String, String> headers, Supplier<HttpResponse> handler) {
        return RestResponses.guarded(request(headers), log, handler);
    }

    static HeraldException storeFailure() {
        return new HeraldException(ErrorCode.INTERNAL, "inbox store failed (SQLState 22021)",
                new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));
    }

    @Test
    void logsACodedInternalFailureAtErrorWithTheRequestsCorrelationId() {
        HttpResponse r = run(Map.of("x-correlation-id", "corr-7"), () -> { throw storeFailure(); });

        assertThat(r.status()).isEqualTo(500);
        assertThat(appender.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getMDCPropertyMap()).containsEntry("correlation_id", "corr-7");
            assertThat(e.getThrowableProxy()).isNotNull();
            assertThat(e.getFormattedMessage()).doesNotContain("secret body");
        });
    }

    @Test
    void tellsTheClientTheCorrelationIdOfA500ButNotItsCause() throws Exception {
        HttpResponse r = run(Map.of("x-correlation-id", "corr-8"), () -> { throw storeFailure(); });

        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("INTERNAL");
        assertThat(error.get("message").asText()).contains("corr-8").doesNotContain("SQLState");
        assertThat(r.headers()).containsEntry("X-Correlation-Id", "corr-8");
    }

    @Test
    void givesARequestWithoutACorrelationIdOneOfItsOwn() {
        HttpResponse r = run(Map.of(), () -> { throw new IllegalStateException("bug"); });

        String id = r.headers().get("X-Correlation-Id");
        assertThat(id).isNotBlank();
        assertThat(appender.list).singleElement()
                .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("correlation_id", id));
    }

    @Test
    void logsNothingForARefusalTheClientCaused() {
        HttpResponse r = run(Map.of(), () -> { throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "title: required"); });

        assertThat(r.status()).isEqualTo(400);
        assertThat(appender.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
    }

    @Test
    void keepsTheCorrelationIdInTheLogContextWhileTheHandlerRuns() {
        run(Map.of("x-correlation-id", "corr-9"), () -> {
            log.warn("working");
            return HttpResponse.json(200, "{}");
        });

        assertThat(appender.list).singleElement()
                .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("correlation_id", "corr-9"));
        assertThat(MDC.get("correlation_id")).as("cleared after the request").isNull();
    }
}
