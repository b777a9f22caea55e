package dev.herald.channels.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local Twilio-shaped Messages API: {@code POST /2010-04-01/Accounts/{sid}/Messages.json}. It
 * checks what Twilio checks (the path's account, HTTP basic auth with that account and its token,
 * a form body with {@code To}, {@code From} and {@code Body}) and answers as Twilio does: 201 with
 * the message's {@code sid}, 401 with code 20003, 400 with code 21211 for a number that is not
 * E.164, 404 for another path. Scripted answers (429, 503) come first when given.
 */
public final class SmsProvider implements AutoCloseable {
    /** A message the provider accepted, with the sid it answered. */
    public record Message(String sid, String to, String from, String body) {}

    /** A scripted answer: a status, a JSON body and an optional Retry-After. */
    public record Answer(int status, String json, String retryAfter) {}

    private final HttpServer server;
    private final String accountSid;
    private final String authToken;
    private final List<Message> accepted = new CopyOnWriteArrayList<>();
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger sequence = new AtomicInteger();

    private SmsProvider(String accountSid, String authToken) throws IOException {
        this.accountSid = accountSid;
        this.authToken = authToken;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public static SmsProvider start(String accountSid, String authToken) throws IOException {
        return new SmsProvider(accountSid, authToken);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public SmsProvider then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    public List<Message> accepted() {
        return List.copyOf(accepted);
    }

    /** Requests refused for bad auth, path or form. */
    public int refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("POST") || !path.equals("/2010-04-01/Accounts/" + accountSid + "/Messages.json")) {
                refused.incrementAndGet();
                answer(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}", null);
                return;
            }
            String expected = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                answer(exchange, 401, "{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}", null);
                return;
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (type == null || !type.startsWith("application/x-www-form-urlencoded") || !form.keySet().containsAll(List.of("To", "From", "Body"))) {
                refused.incrementAndGet();
                answer(exchange, 400, "{\"code\":21604,\"message\":\"A 'To' phone number is required.\",\"status\":400}", null);
                return;
            }
            Answer scripted = script.poll();
            if (scripted != null) {
                answer(exchange, scripted.status(), scripted.json(), scripted.retryAfter());
                return;
            }
            if (!form.get("To").matches("\\+[1-9][0-9]{6,14}")) {
                answer(exchange, 400, "{\"code\":21211,\"message\":\"The 'To' number " + form.get("To")
                        + " is not a valid phone number.\",\"status\":400}", null);
                return;
            }
            String sid = String.format("SM%032x", sequence.incrementAndGet());
            accepted.add(new Message(sid, form.get("To"), form.get("From"), form.get("Body")));
            answer(exchange, 201, "{\"sid\":\"" + sid + "\",\"status\":\"queued\",\"to\":\"" + form.get("To") + "\"}", null);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    private static void answer(HttpExchange exchange, int status, String json, String retryAfter) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) exchange.getResponseHeaders().set("Retry-After", retryAfter);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
