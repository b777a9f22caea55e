package dev.herald.server.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.herald.server.config.HeraldConfig;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets up logging from LOG_LEVEL and LOG_FORMAT, in code rather than XML, so one place decides.
 * JSON lines carry the MDC (correlation ids, socket ids). Nothing Herald logs contains a token or
 * secret: authentication failures log the code and the client's address only.
 *
 * <p>{@code java.util.logging} (gRPC, parts of Netty) is routed through SLF4J too: its default
 * handler would write multi-line text to stderr (a 45-line stack trace for one oversized gRPC
 * header), breaking the one-object-per-line JSON log. Logback's levels are propagated to JUL, so
 * disabled JUL records cost nothing.
 */
public final class Logging {
    private Logging() {}

    private static void routeJulThroughSlf4j(LoggerContext ctx) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(ctx);
        propagator.setResetJUL(true);
        propagator.start();
        ctx.addListener(propagator);
    }

    public static void configure(HeraldConfig.Ops ops) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        routeJulThroughSlf4j(ctx);
        Encoder<ILoggingEvent> encoder;
        if (ops.logFormat() == HeraldConfig.LogFormat.JSON) {
            LogstashEncoder json = new LogstashEncoder();
            json.setContext(ctx);
            json.setIncludeContext(false);
            json.start();
            encoder = json;
        } else {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setContext(ctx);
            pattern.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{24} %mdc{correlation_id:-} - %msg%n");
            pattern.start();
            encoder = pattern;
        }
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("console");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(ops.logLevel().name()));
        root.addAppender(console);
        // Libraries are chatty at debug; keep them at info unless asked for trace (never below the root level).
        if (ops.logLevel() != HeraldConfig.LogLevel.TRACE) {
            Level libraries = root.getLevel().isGreaterOrEqual(Level.INFO) ? root.getLevel() : Level.INFO;
            for (String noisy : new String[] {"io.netty", "io.grpc", "io.lettuce", "com.zaxxer", "org.flywaydb", "io.nats"}) {
                ctx.getLogger(noisy).setLevel(libraries);
            }
        }
    }
}
