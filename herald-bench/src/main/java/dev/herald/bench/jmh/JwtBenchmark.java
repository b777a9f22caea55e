package dev.herald.bench.jmh;

import dev.herald.api.auth.JwtAuthenticator;
import dev.herald.api.auth.JwtConfig;
import dev.herald.api.auth.TokenIssuer;
import dev.herald.core.Json;
import dev.herald.core.auth.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What verifying one client's HS256 token costs: every Socket.IO and /ws handshake pays it once.
 * Run: {@code java -cp herald-bench/target/herald-bench.jar org.openjdk.jmh.Main JwtBenchmark}; the
 * first calls on a fresh JVM, as after a restart: {@code … JwtBenchmark -bm ss -wi 0 -i 200 -f 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JwtBenchmark {
    private static final JwtConfig CONFIG = JwtConfig.hs256("bench-secret-0123456789abcdef0123456789abcdef");
    private final JwtAuthenticator authenticator = new JwtAuthenticator(CONFIG, Clock.systemUTC());
    private final String token = new TokenIssuer(CONFIG, Clock.systemUTC())
            .issue("u123", "team:bench", List.of("member"), List.of(), Duration.ofHours(1));

    /**
     * A server has loaded Jackson (its configuration, every frame) before the first client connects;
     * without this a single-shot run would charge the first verification with Jackson's start.
     */
    @Setup(Level.Trial)
    public void startLikeTheServer() {
        Json.parse("{\"started\":true}", "setup");
    }

    @Benchmark
    public Principal authenticate() {
        return authenticator.authenticate(token);
    }
}
