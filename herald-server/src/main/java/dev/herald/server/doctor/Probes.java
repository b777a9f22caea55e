package dev.herald.server.doctor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The network checks of {@code herald doctor}, each a real conversation with the peer (not just an
 * open port): PostgreSQL runs {@code SELECT 1}, Redis answers PING, NATS sends its INFO greeting,
 * SMTP its 220 banner. Each returns what it saw or throws with why it could not.
 */
final class Probes {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Probes() {}

    /** Connects, runs SELECT 1, and tells whether Flyway's history table exists in the schema. */
    static boolean postgresMigrated(String jdbcUrl, String user, String password, String schema) throws SQLException {
        DriverManager.setLoginTimeout((int) TIMEOUT.toSeconds());
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement st = c.createStatement()) {
            st.setQueryTimeout((int) TIMEOUT.toSeconds());
            try (ResultSet one = st.executeQuery("SELECT 1")) {
                if (!one.next()) throw new SQLException("SELECT 1 returned nothing");
            }
            try (ResultSet tables = c.getMetaData().getTables(null, schema, "flyway_schema_history", null)) {
                return tables.next();
            }
        }
    }

    /** PING (after AUTH when the URL has a password); the answer's first line. */
    static String redisPing(String host, int port, boolean tls, String user, String password) throws IOException {
        try (Socket s = open(host, port, tls)) {
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            if (password != null) {
                out.write(command(user == null ? new String[] {"AUTH", password} : new String[] {"AUTH", user, password}));
                String auth = in.readLine();
                if (auth == null || !auth.startsWith("+OK")) throw new IOException("AUTH refused: " + auth);
            }
            out.write(command("PING"));
            out.flush();
            String answer = in.readLine();
            if (answer == null) throw new IOException("closed the connection without answering PING");
            if (!answer.equals("+PONG")) throw new IOException("answered PING with " + answer);
            return answer;
        }
    }

    /** The INFO line every NATS server sends first. */
    static String natsInfo(String server) throws IOException {
        URI uri = URI.create(server);
        int port = uri.getPort() == -1 ? 4222 : uri.getPort();
        try (Socket s = open(uri.getHost(), port, false)) {
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null || !line.startsWith("INFO ")) throw new IOException("did not greet like a NATS server: " + clip(line));
            return line.contains("\"jetstream\":true") ? "JetStream on" : "JetStream off";
        }
    }

    /** The 220 banner of an SMTP server (after TLS for smtps://). */
    static String smtpBanner(String host, int port, boolean tls) throws IOException {
        try (Socket s = open(host, port, tls)) {
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null || !line.startsWith("220")) throw new IOException("did not greet with 220: " + clip(line));
            return clip(line);
        }
    }

    private static Socket open(String host, int port, boolean tls) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
        plain.setSoTimeout((int) TIMEOUT.toMillis());
        if (!tls) return plain;
        SSLSocket secure = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, host, port, true);
        secure.startHandshake();
        return secure;
    }

    private static byte[] command(String... parts) {
        StringBuilder b = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String p : parts) b.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String clip(String s) {
        if (s == null) return "nothing";
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
