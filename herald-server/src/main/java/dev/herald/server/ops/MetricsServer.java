package dev.herald.server.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The METRICS_PORT server: only {@code /metrics}, on a port of its own, so scrapers can reach it
 * on an internal network while the client port faces the public. It is the JDK's small HTTP
 * server on virtual threads: a scrape every few seconds needs nothing of the client port's Netty
 * pipeline, and keeping it apart means a flood of client traffic cannot starve the scrape.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    public static MetricsServer start(String host, int port, HttpService metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on METRICS_PORT " + port, e);
        }
        MetricsServer out = new MetricsServer(server);
        server.setExecutor(out.executor);
        server.createContext("/", exchange -> out.serve(exchange, metrics));
        server.start();
        return out;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange, HttpService metrics) throws IOException {
        try (exchange) {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
            String remote = exchange.getRemoteAddress() == null ? "" : exchange.getRemoteAddress().getAddress().getHostAddress();
            HttpRequest request = new HttpRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), Map.of(),
                    headers, null, remote);
            Optional<HttpResponse> answer = metrics.handle(request);
            HttpResponse r = answer.orElse(HttpResponse.json(404, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"only /metrics here\"}}"));
            exchange.getResponseHeaders().put("content-type", List.of(r.contentType()));
            r.headers().forEach((k, v) -> exchange.getResponseHeaders().put(k, List.of(v)));
            boolean head = request.method().equals("HEAD");
            exchange.sendResponseHeaders(r.status(), head ? -1 : r.body().length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(r.body());
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
