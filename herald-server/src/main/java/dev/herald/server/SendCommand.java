package dev.herald.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.Json;
import dev.herald.server.config.Env;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code herald send}: creates a notification through a running Herald's REST API
 * ({@code POST /api/v1/notifications}) with a service API key, as any backend would.
 * Exit codes: 0 created, 1 refused by the server (its code and message printed), 3 unreachable.
 */
@Command(name = "send", description = "Create a notification on a running Herald (POST /api/v1/notifications).")
public final class SendCommand implements Callable<Integer> {
    /** Where the API key comes from when --api-key is not given: a client setting, not the server's. */
    public static final String API_KEY_VARIABLE = "HERALD_API_KEY";

    @Spec
    CommandSpec spec;

    @Option(names = "--user", required = true, split = ",", description = "recipient user id(s), comma separated or repeated")
    List<String> users;
    @Option(names = "--title", required = true, description = "the title")
    String title;
    @Option(names = {"--message", "-m"}, description = "the body")
    String message;
    @Option(names = "--type", defaultValue = "cli", description = "the notification type (default: ${DEFAULT-VALUE})")
    String type;
    @Option(names = "--channels", split = ",", description = "channels, e.g. inApp,email,push (default: the server's)")
    List<String> channels;
    @Option(names = "--priority", description = "low, normal, high or urgent")
    String priority;
    @Option(names = "--server", description = "Herald's base URL (default: http://127.0.0.1:$SOCKETIO_PORT)")
    String server;
    @Option(names = "--api-key", description = "a service API key (default: $HERALD_API_KEY)")
    String apiKey;

    private final Env env;

    SendCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String key = apiKey != null ? apiKey : env.get(API_KEY_VARIABLE).orElse(null);
        if (key == null || key.isBlank()) {
            err.println("herald send: no API key: pass --api-key or set HERALD_API_KEY (one of the server's HERALD_API_KEYS)");
            return 2;
        }
        String base = server != null ? server : "http://127.0.0.1:" + env.get("SOCKETIO_PORT").orElse("3000");
        URI uri;
        try {
            uri = URI.create(base.replaceAll("/+$", "") + "/api/v1/notifications");
        } catch (IllegalArgumentException e) {
            err.println("herald send: --server is not a URL: " + base);
            return 2;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body().toString())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("herald send: cannot reach " + base + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 3;
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            JsonNode error = answer.path("error");
            err.println("herald send: refused (" + response.statusCode() + " " + error.path("code").asText("?") + "): "
                    + error.path("message").asText(response.body()));
            return 1;
        }
        for (JsonNode id : answer.path("ids")) out.println(id.asText());
        out.flush();
        return 0;
    }

    private ObjectNode body() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode recipients = o.putArray("recipients");
        users.stream().map(String::strip).filter(u -> !u.isEmpty()).forEach(recipients::add);
        o.put("type", type).put("title", title);
        if (message != null) o.put("message", message);
        if (priority != null) o.put("priority", priority);
        if (channels != null) {
            ArrayNode c = o.putArray("channels");
            channels.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(c::add);
        }
        return o;
    }

    private static JsonNode parse(String body) {
        try {
            return Json.parse(body, "answer");
        } catch (RuntimeException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
