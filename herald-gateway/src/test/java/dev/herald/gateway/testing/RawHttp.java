package dev.herald.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 as bytes, for tests that must control exactly what goes on the wire (pipelining, trickling). */
public final class RawHttp {
    /** One parsed answer: status, lower-cased headers, body as text. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    private RawHttp() {
    }

    public static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: herald\r\n\r\n";
    }

    public static String post(String path, String contentType, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: herald\r\nContent-Type: " + contentType + "\r\nContent-Length: " + b.length
                + "\r\n\r\n" + body;
    }

    /** Splits a byte stream of complete answers (each with Content-Length) into answers, in order. */
    public static List<Answer> parse(String stream) {
        List<Answer> out = new ArrayList<>();
        int at = 0;
        while (at < stream.length()) {
            int headEnd = stream.indexOf("\r\n\r\n", at);
            if (headEnd < 0) throw new IllegalArgumentException("incomplete head: " + stream.substring(at));
            String[] lines = stream.substring(at, headEnd).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            int bodyStart = headEnd + 4;
            out.add(new Answer(status, headers, stream.substring(bodyStart, bodyStart + length)));
            at = bodyStart + length;
        }
        return out;
    }
}
