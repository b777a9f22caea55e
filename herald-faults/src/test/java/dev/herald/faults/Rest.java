package dev.herald.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Small blocking REST calls with the service API key, for the scenarios' checks (not their load). */
final class Rest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Rest() {}

    /** The JSON answer of a 2xx call; anything else fails with the status and body. */
    static JsonNode call(HeraldProcess node, String method, String path, String body) throws IOException, InterruptedException {
        return call(node.base(), method, path, body);
    }

    /** The same against any base address (a balancer in front of the nodes). */
    static JsonNode call(URI base, String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + Tokens.API_KEY).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + " " + r.body());
        return r.body().isEmpty() ? Json.object() : Json.parse(r.body(), "answer");
    }
}
