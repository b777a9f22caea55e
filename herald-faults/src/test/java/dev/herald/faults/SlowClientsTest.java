package dev.herald.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that misuse HTTP/1.1 on the client port: a slowloris that trickles its headers forever,
 * and a client that pipelines requests whose handling takes different times.
 */
class SlowClientsTest {
    /** How long a trickling client may hold a connection before the node must have closed it. */
    private static final Duration HEADER_BOUND = Duration.ofSeconds(60);
    private static final int PIPELINED = 40;

    @TempDir
    Path work;

    private final String run = "sc" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Socket> sockets = new ArrayList<>();
    private HeraldProcess node;

    @BeforeEach
    void start() throws IOException {
        // A short header timeout, so the slowloris case ends in seconds; the bound stays a minute.
        node = HeraldProcess.start("slow", work, Map.of("HTTP_HEADER_TIMEOUT_SECONDS", "3"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Socket s : sockets) s.close();
        node.close();
    }

    private Socket open() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", node.port()), 5000);
        return s;
    }

    /** True once the node has closed (or answered and closed) the connection. */
    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(20);
        try {
            s.getInputStream().read();
            // -1: closed; a byte: the node answered (e.g. 408), which ends this request too.
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void closesAConnectionThatTricklesItsHeaders() throws Exception {
        Socket slow = open();
        OutputStream out = slow.getOutputStream();
        out.write("POST /api/v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] trickle = "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        AtomicInteger sentBytes = new AtomicInteger();
        long startedAt = System.nanoTime();

        boolean closed;
        try {
            // One byte a second, the slowloris pace: an idle timeout alone never fires.
            await().atMost(HEADER_BOUND).pollInterval(Duration.ofSeconds(1)).pollInSameThread().until(() -> {
                if (closedByServer(slow)) return true;
                try {
                    out.write(trickle[sentBytes.getAndIncrement() % trickle.length]);
                    out.flush();
                } catch (IOException reset) {
                    return true;
                }
                return false;
            });
            closed = true;
        } catch (ConditionTimeoutException e) {
            closed = false;
        }
        System.out.println("faults: slowloris trickled_bytes=" + sentBytes.get() + " closed_by_server=" + closed
                + " after_ms=" + (System.nanoTime() - startedAt) / 1_000_000 + " bound_ms=" + HEADER_BOUND.toMillis());
        assertThat(closed).as("the node closed a connection still sending headers after " + HEADER_BOUND).isTrue();
    }

    @Test
    void keepsServingWhileManyConnectionsHoldHalfSentHeaders() throws Exception {
        for (int i = 0; i < 200; i++) {
            OutputStream out = open().getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        JsonNode health = Rest.call(node, "GET", "/health", null);

        System.out.println("faults: slowloris-crowd half_open=200 health=" + health.path("status").asText());
        assertThat(health.path("status").asText()).isEqualTo("ok");
    }

    @Test
    void answersPipelinedRequestsInTheOrderTheyWereSent() throws Exception {
        Socket s = open();
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < PIPELINED; i++) {
            if (i % 2 == 0) {
                String body = "{\"recipients\":[\"" + run + "-u\"],\"type\":\"fault\",\"title\":\"p" + i + "\",\"message\":\"m\"}";
                requests.append("POST /api/v1/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ").append(Tokens.API_KEY)
                        .append("\r\nContent-Type: application/json\r\nContent-Length: ")
                        .append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(body);
            } else {
                requests.append("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            }
        }
        s.getOutputStream().write(requests.toString().getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        s.setSoTimeout(30_000);
        InputStream in = s.getInputStream();

        List<String> answered = new ArrayList<>();
        for (int i = 0; i < PIPELINED; i++) {
            RawHttp.Response r = RawHttp.read(in);
            JsonNode body = Json.parse(r.body(), "answer");
            answered.add(body.has("status") ? "health" : body.path("notifications").path(0).path("title").asText("?" + r.status()));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < PIPELINED; i++) expected.add(i % 2 == 0 ? "p" + i : "health");
        int inPlace = 0;
        for (int i = 0; i < PIPELINED; i++) if (answered.get(i).equals(expected.get(i))) inPlace++;
        System.out.println("faults: pipelining requests=" + PIPELINED + " answered=" + answered.size() + " in_order=" + inPlace
                + " out_of_order=" + (PIPELINED - inPlace));
        assertThat(answered).containsExactlyElementsOf(expected);
    }
}
