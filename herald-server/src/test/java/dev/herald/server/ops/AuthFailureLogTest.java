package dev.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.core.testing.MutableClock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AuthFailureLogTest {
    private final MutableClock clock = MutableClock.at("2026-04-01T10:00:00Z");
    private final AuthFailureLog refusals = new AuthFailureLog(clock);
    private final Logger logger = (Logger) LoggerFactory.getLogger(AuthFailureLog.class);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeEach
    void capture() {
        captured.start();
        logger.addAppender(captured);
    }

    @AfterEach
    void release() {
        logger.detachAppender(captured);
    }

    private List<String> lines() {
        return captured.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Test
    void logsARefusalAtWarnWithTheTransportTheAddressAndTheCode() {
        refusals.refused("client", "203.0.113.7", "TOKEN_EXPIRED");

        assertThat(lines()).containsExactly("WARN refused authentication over client from 203.0.113.7: TOKEN_EXPIRED");
    }

    @Test
    void logsOneLinePerAddressPerWindowHoweverManyRefusalsItSends() {
        for (int i = 0; i < 1000; i++) refusals.refused("client", "203.0.113.7", "INVALID_TOKEN");

        assertThat(lines()).hasSize(1);
    }

    @Test
    void capsTheLinesOfAWindowAcrossManyAddresses() {
        for (int i = 0; i < 500; i++) refusals.refused("rest", "198.51.100." + i, "UNAUTHENTICATED");

        assertThat(lines()).hasSize(AuthFailureLog.MAX_LINES);
    }

    @Test
    void reportsWhatItLeftOutWhenTheNextWindowOpens() {
        for (int i = 0; i < 5; i++) refusals.refused("client", "203.0.113.7", "INVALID_TOKEN");
        clock.advance(AuthFailureLog.WINDOW);

        refusals.refused("client", "203.0.113.7", "INVALID_TOKEN");

        assertThat(lines()).containsExactly("WARN refused authentication over client from 203.0.113.7: INVALID_TOKEN",
                "WARN 4 more refused authentication(s) in the previous minute were not logged one by one",
                "WARN refused authentication over client from 203.0.113.7: INVALID_TOKEN");
    }
}
