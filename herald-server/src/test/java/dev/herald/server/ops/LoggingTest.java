package dev.herald.server.ops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingTest {
    @AfterEach
    void restoreTheTestLogging() throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        new ContextInitializer(ctx).autoConfig();
    }

    /** What the console appender writes while {@code body} runs. */
    private static List<String> stdoutOf(Runnable body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(out, true, UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(before);
        }
        return out.toString(UTF_8).lines().toList();
    }

    @Test
    void writesAJavaUtilLoggingRecordWithItsStackTraceAsOneJsonLine() {
        Logging.configure(HeraldConfig.from(new Env(Map.of("LOG_FORMAT", "json"))).ops());

        List<String> lines = stdoutOf(() -> java.util.logging.Logger.getLogger("io.grpc.netty.NettyServerHandler")
                .log(Level.WARNING, "Header size exceeded max allowed size", new IllegalStateException("too big",
                        new RuntimeException("the cause"))));

        assertThat(lines).hasSize(1);
        JsonNode line = Json.parse(lines.getFirst(), "log line");
        assertThat(line.path("message").asText()).isEqualTo("Header size exceeded max allowed size");
        assertThat(line.path("logger_name").asText()).isEqualTo("io.grpc.netty.NettyServerHandler");
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("stack_trace").asText()).contains("too big").contains("the cause");
    }

    @Test
    void dropsJavaUtilLoggingRecordsBelowTheConfiguredLevel() {
        Logging.configure(HeraldConfig.from(new Env(Map.of("LOG_FORMAT", "json", "LOG_LEVEL", "warn"))).ops());

        List<String> lines = stdoutOf(() -> {
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.grpc.internal.SerializingExecutor");
            jul.info("chatty");
            jul.warning("marker");
        });

        assertThat(lines).hasSize(1).first().asString().contains("marker");
    }
}
