package dev.herald.server;

import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * In-process nodes of one test cluster: the shared Redis on 6379 under this run's own
 * CLUSTER_PREFIX, one PostgreSQL schema of its own (dropped on close), and whatever else the test
 * closes with {@link #keep}, closed newest first.
 */
final class TestCluster implements AutoCloseable {
    private static final String PG = "postgres://postgres@127.0.0.1:5432/test";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String schema;
    private final Path dataDir;
    private final List<AutoCloseable> open = new ArrayList<>();

    TestCluster(String name, Path dataDir) {
        this.schema = name + "_" + run;
        this.dataDir = dataDir;
    }

    <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    /** A started node; {@code extra} adds or overrides variables (e.g. NATS_URL). */
    Herald node(String name, Map<String, String> extra) {
        Map<String, String> vars = new HashMap<>(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.resolve(name).toString(), "JWT_SECRET", TestTokens.SECRET,
                "HERALD_API_KEYS", TestTokens.API_KEY, "REDIS_URL", "redis://127.0.0.1:6379", "NODE_ID", name + "-" + run,
                "CLUSTER_PREFIX", "c" + run, "DATABASE_URL", PG));
        vars.put("DATABASE_SCHEMA", schema);
        vars.putAll(extra);
        return keep(Herald.start(HeraldConfig.from(new Env(vars)), Clock.systemUTC()));
    }

    /** A request as a service, to the node's client port. */
    static HttpResponse<String> call(Herald node, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.clientPort() + path))
                .header("authorization", "Bearer " + TestTokens.API_KEY).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
