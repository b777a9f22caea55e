package dev.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import dev.herald.gateway.testing.FakeAuthenticator;
import dev.herald.gateway.testing.RawConnection;
import dev.herald.gateway.testing.RawHttp;
import dev.herald.gateway.testing.RecordingSessionHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shutdown stops accepting, answers what is in flight, refuses with 503 what had not started, then
 * closes. The service's /slow requests are held until the test lets them go.
 */
class GracefulShutdownTest {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpService slow = req -> {
        if (req.path().equals("/slow")) {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Optional.of(HttpResponse.json(200, "{\"path\":\"" + req.path() + "\"}"));
    };
    private GatewayServer server;
    private CompletableFuture<Void> shutdown;

    @BeforeEach
    void start() throws Exception {
        server = new GatewayServer(GatewayConfig.defaults().withPort(0), new FakeAuthenticator(), new RecordingSessionHandler(),
                List.of(slow), Clock.systemUTC()).start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (shutdown != null) shutdown.join();
        server.shutdown(Duration.ofSeconds(2));
    }

    /** Starts the shutdown and returns once the port refuses connections (the drain has begun). */
    private void shutDownWhileSlowIsInFlight(int port) {
        shutdown = CompletableFuture.runAsync(() -> server.shutdown(Duration.ofSeconds(20)));
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return false;
            } catch (IOException refused) {
                return true;
            }
        });
    }

    @Test
    void answersARequestInFlightBeforeClosing() throws Exception {
        int port = server.port();
        try (RawConnection inFlight = new RawConnection(port).send(RawHttp.get("/slow"))) {
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            shutDownWhileSlowIsInFlight(port);

            release.countDown();

            await().atMost(Duration.ofSeconds(10)).until(inFlight::closedByServer);
            List<RawHttp.Answer> answers = RawHttp.parse(inFlight.received());
            assertThat(answers).extracting(RawHttp.Answer::status).containsExactly(200);
            assertThat(answers.getFirst().body()).isEqualTo("{\"path\":\"/slow\"}");
        }
    }

    @Test
    void refusesARequestArrivingDuringTheDrainWith503() throws Exception {
        int port = server.port();
        try (RawConnection inFlight = new RawConnection(port).send(RawHttp.get("/slow"));
             RawConnection idle = new RawConnection(port).send(RawHttp.get("/fast"))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> idle.received().endsWith("{\"path\":\"/fast\"}"));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            shutDownWhileSlowIsInFlight(port);

            idle.send(RawHttp.get("/late"));

            await().atMost(Duration.ofSeconds(10)).until(idle::closedByServer);
            List<RawHttp.Answer> answers = RawHttp.parse(idle.received());
            assertThat(answers).extracting(RawHttp.Answer::status).containsExactly(200, 503);
            assertThat(answers.get(1).body()).contains("\"code\":\"UNAVAILABLE\"");
            assertThat(answers.get(1).headers()).containsEntry("connection", "close");
        }
    }
}
