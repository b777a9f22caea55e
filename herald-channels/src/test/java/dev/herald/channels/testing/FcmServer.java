package dev.herald.channels.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import dev.herald.channels.push.fcm.FcmConfig;
import dev.herald.channels.push.fcm.ServiceAccount;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Google's two FCM endpoints on a loopback port, checking what a careful Google would. It makes its
 * own service account (an RSA key pair; {@link #writeServiceAccount} writes the JSON file a
 * Firebase console gives) and:
 * <ul>
 *   <li>{@code POST /token} takes only the JWT-bearer grant whose assertion is RS256-signed by that
 *       account's key, {@code iss} the account, {@code aud} this URL, {@code scope} firebase.messaging,
 *       at most an hour long and not expired; it answers a fresh access token (400
 *       {@code invalid_grant} otherwise, counted in {@link #refusedGrants()});</li>
 *   <li>{@code POST /v1/projects/{project}/messages:send} takes only a bearer token it issued and
 *       not expired (401 otherwise), and a message of the v1 shape: {@code message.token}, a
 *       {@code notification} of strings, {@code data} of string values only (400 otherwise); it
 *       answers from the script kept per device token, default 200 {@code {"name": …}}.</li>
 * </ul>
 * Its checks are written from Google's documentation, apart from the sender's code. Thread-safe.
 */
public final class FcmServer implements AutoCloseable {
    public static final String PROJECT = "herald-test";
    public static final String CLIENT_EMAIL = "herald@herald-test.iam.gserviceaccount.com";
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

    /** An accepted message: the device token and the whole {@code message} object. */
    public record Received(String token, JsonNode message, String accessToken) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final KeyPair account;
    private final Clock clock;
    private final Map<String, Instant> issued = new HashMap<>();
    private final Map<String, List<PushAnswer>> scripts = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final List<Received> received = new ArrayList<>();
    private Duration tokenLifetime = Duration.ofHours(1);
    private int grants;
    private int refusedGrants;
    private int refusedSends;

    private FcmServer(Clock clock) throws Exception {
        this.clock = clock;
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        this.account = g.generateKeyPair();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/token", this::token);
        server.createContext("/v1/projects/", this::send);
        server.start();
    }

    public static FcmServer start(Clock clock) {
        try {
            return new FcmServer(clock);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the FCM stand-in", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String tokenUrl() {
        return baseUrl() + "/token";
    }

    /** The service-account JSON for this server's key, as the Firebase console writes it. */
    public String serviceAccountJson() {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(account.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return JSON.createObjectNode().put("type", "service_account").put("project_id", PROJECT)
                .put("private_key_id", "k1").put("private_key", pem).put("client_email", CLIENT_EMAIL)
                .put("token_uri", "https://oauth2.googleapis.com/token").toString();
    }

    /** Settings pointing an FcmSender at this server with its service account. */
    public FcmConfig config() {
        return new FcmConfig(ServiceAccount.parse(serviceAccountJson()), URI.create(baseUrl()), URI.create(tokenUrl()));
    }

    public Path writeServiceAccount(Path dir) throws IOException {
        return Files.writeString(dir.resolve("service-account.json"), serviceAccountJson());
    }

    /** Access tokens issued from now on live this long. */
    public synchronized FcmServer tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
        return this;
    }

    /** Answers for messages to {@code deviceToken}: the n-th gets the n-th answer, the last repeats. */
    public synchronized FcmServer respond(String deviceToken, PushAnswer... answers) {
        scripts.put(deviceToken, List.of(answers));
        return this;
    }

    /** Access tokens given so far. */
    public synchronized int grants() {
        return grants;
    }

    public synchronized int refusedGrants() {
        return refusedGrants;
    }

    /** Sends refused for a missing, unknown or expired bearer token, or a message of a wrong shape. */
    public synchronized int refusedSends() {
        return refusedSends;
    }

    /** Revokes every issued access token: the next send with one is answered 401. */
    public synchronized void revokeTokens() {
        issued.clear();
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    public synchronized List<Received> receivedFor(String deviceToken) {
        return received.stream().filter(r -> r.token().equals(deviceToken)).toList();
    }

    private void token(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            Map<String, String> form = form(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!"POST".equals(ex.getRequestMethod()) || !"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))
                    || !validAssertion(form.get("assertion"))) {
                synchronized (this) {
                    refusedGrants++;
                }
                reply(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT\"}", Map.of());
                return;
            }
            String token = "ya29." + UUID.randomUUID();
            Duration lifetime;
            synchronized (this) {
                grants++;
                lifetime = tokenLifetime;
                issued.put(token, clock.instant().plus(lifetime));
            }
            reply(ex, 200, JSON.createObjectNode().put("access_token", token).put("expires_in", lifetime.toSeconds())
                    .put("token_type", "Bearer").toString(), Map.of());
        }
    }

    private boolean validAssertion(String assertion) {
        if (assertion == null) return false;
        try {
            SignedJWT jwt = SignedJWT.parse(assertion);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) return false;
            if (!jwt.verify(new RSASSAVerifier((RSAPublicKey) account.getPublic()))) return false;
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            return CLIENT_EMAIL.equals(c.getIssuer()) && c.getAudience().equals(List.of(tokenUrl()))
                    && SCOPE.equals(c.getStringClaim("scope")) && c.getIssueTime() != null && c.getExpirationTime() != null
                    && !c.getIssueTime().toInstant().isAfter(now.plusSeconds(60))
                    && c.getExpirationTime().toInstant().isAfter(now)
                    && !c.getExpirationTime().toInstant().isAfter(c.getIssueTime().toInstant().plusSeconds(3600));
        } catch (Exception e) {
            return false;
        }
    }

    private void send(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            boolean known;
            synchronized (this) {
                Instant expires = token == null ? null : issued.get(token);
                known = expires != null && clock.instant().isBefore(expires);
                if (!known) refusedSends++;
            }
            if (!known) {
                reply(ex, 401, "{\"error\":{\"code\":401,\"status\":\"UNAUTHENTICATED\"}}", Map.of());
                return;
            }
            JsonNode message = shaped(ex.getRequestURI(), body);
            if (message == null) {
                synchronized (this) {
                    refusedSends++;
                }
                reply(ex, 400, "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\"}}", Map.of());
                return;
            }
            String device = message.path("token").asText();
            PushAnswer answer;
            synchronized (this) {
                int n = counts.merge(device, 1, Integer::sum);
                List<PushAnswer> script = scripts.getOrDefault(device, List.of(PushAnswer.ok()));
                answer = script.get(Math.min(n, script.size()) - 1);
                if (answer.success()) received.add(new Received(device, message, token));
            }
            String reply = answer.success()
                    ? "{\"name\":\"projects/" + PROJECT + "/messages/" + UUID.randomUUID() + "\"}" : answer.body();
            reply(ex, answer.status(), reply, answer.headers());
        }
    }

    /** The {@code message} when the path and the body are what FCM v1 takes, else null. */
    private static JsonNode shaped(URI uri, byte[] body) {
        if (!uri.getPath().equals("/v1/projects/" + PROJECT + "/messages:send")) return null;
        try {
            JsonNode m = JSON.readTree(body).path("message");
            if (!m.path("token").isTextual() || m.path("token").asText().isBlank()) return null;
            JsonNode n = m.path("notification");
            if (!n.isMissingNode() && (!n.path("title").isTextual() || !n.path("body").isTextual())) return null;
            for (JsonNode v : m.path("data")) if (!v.isTextual()) return null;
            return m;
        } catch (IOException e) {
            return null;
        }
    }

    /** An FCM v1 error body with {@code errorCode} in its details, as Google sends for UNREGISTERED. */
    public static String error(int code, String status, String errorCode) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"Requested entity was not found.\",\"status\":\"" + status
                + "\",\"details\":[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\""
                + errorCode + "\"}]}}";
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static void reply(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach(ex.getResponseHeaders()::set);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
