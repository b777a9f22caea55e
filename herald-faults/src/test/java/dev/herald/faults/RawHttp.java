package dev.herald.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads HTTP/1.1 responses off a raw socket, one after another (Content-Length or chunked bodies). */
final class RawHttp {
    /** One response: its status and its body as text. */
    record Response(int status, String body) {}

    private RawHttp() {}

    static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) throw new IOException("connection closed before a response");
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        int length = -1;
        boolean chunked = false;
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Integer.parseInt(h.substring(15).strip());
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line(in).strip(), 16); size > 0; size = Integer.parseInt(line(in).strip(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else if (length > 0) {
            body.write(in.readNBytes(length));
        }
        return new Response(status, body.toString(StandardCharsets.UTF_8));
    }

    /** A CRLF-terminated line without its CRLF, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                byte[] bytes = out.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.US_ASCII);
            }
            out.write(b);
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.US_ASCII);
    }
}
