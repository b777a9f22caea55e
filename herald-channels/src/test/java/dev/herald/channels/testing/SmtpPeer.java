package dev.herald.channels.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small real SMTP server (RFC 5321) on a loopback port, for what GreenMail cannot do on demand:
 * answer a scripted reply (451, 550) to a message, offer STARTTLS, demand AUTH. It speaks EHLO,
 * HELO, STARTTLS, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA (dot-unstuffed), RSET, NOOP and QUIT,
 * and keeps every accepted message as the exact bytes received, so a test can verify a DKIM
 * signature over what was on the wire. It counts the connections it accepted and those still
 * open, and can drop them all (a relay's idle timeout). One virtual thread per connection.
 */
public final class SmtpPeer implements AutoCloseable {
    /** One message the peer accepted (250 after DATA). */
    public record Received(String mailFrom, List<String> recipients, byte[] data, boolean tls, String authUser) {
        public String text() {
            return new String(data, StandardCharsets.ISO_8859_1);
        }
    }

    private final ServerSocket server;
    private final SSLContext tls;
    private final String user;
    private final String password;
    private final Queue<String> dataReplies = new ConcurrentLinkedQueue<>();
    private final Queue<String> rcptReplies = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Set<Socket> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean open = true;

    private SmtpPeer(SSLContext tls, String user, String password) throws IOException {
        this.tls = tls;
        this.user = user;
        this.password = password;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("smtp-peer-accept").start(this::accept);
    }

    /** Plain SMTP, no AUTH. */
    public static SmtpPeer start() throws IOException {
        return new SmtpPeer(null, null, null);
    }

    /**
     * Offers STARTTLS with {@code tls}'s key when not null; demands AUTH with {@code user} and
     * {@code password} before MAIL when {@code user} is not null.
     */
    public static SmtpPeer start(SSLContext tls, String user, String password) throws IOException {
        return new SmtpPeer(tls, user, password);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The next messages' replies after DATA's final dot, in order (e.g. "451 4.3.0 try later"); then 250. */
    public SmtpPeer replyToData(String... replies) {
        dataReplies.addAll(List.of(replies));
        return this;
    }

    /** The next RCPTs' replies, in order (e.g. "550 5.1.1 no such user"); then 250. */
    public SmtpPeer replyToRcpt(String... replies) {
        rcptReplies.addAll(List.of(replies));
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Connections accepted so far. */
    public int connections() {
        return accepted.get();
    }

    /** Connections open now (the client has not hung up, nor the peer dropped them). */
    public int openConnections() {
        return live.size();
    }

    /** Closes every open connection without a word, as a relay does to connections idle too long. */
    public void dropConnections() throws IOException {
        for (Socket s : live) s.close();
    }

    /** What the peer refused (bad AUTH, MAIL before AUTH), for assertions. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    private void accept() {
        while (open) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                live.add(socket);
                Thread.ofVirtual().name("smtp-peer-conn").start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        Conversation c = new Conversation(socket);
        try (socket) {
            c.talk();
        } catch (IOException | RuntimeException e) {
            // The client hung up or broke the protocol: the conversation ends.
        } finally {
            c.close();
            live.remove(socket);
        }
    }

    private final class Conversation {
        private Socket socket;
        private BufferedReader in;
        private OutputStream out;
        private boolean secured;
        private String authed;
        private String from;
        private final List<String> to = new ArrayList<>();

        Conversation(Socket socket) {
            this.socket = socket;
        }

        void talk() throws IOException {
            streams();
            reply("220 smtp-peer ESMTP ready");
            String line;
            while ((line = in.readLine()) != null) {
                String upper = line.toUpperCase(java.util.Locale.ROOT);
                if (upper.startsWith("EHLO")) {
                    List<String> lines = new ArrayList<>(List.of("smtp-peer"));
                    if (tls != null && !secured) lines.add("STARTTLS");
                    if (user != null) lines.add("AUTH PLAIN LOGIN");
                    lines.add("8BITMIME");
                    for (int i = 0; i < lines.size(); i++) reply("250" + (i == lines.size() - 1 ? " " : "-") + lines.get(i));
                } else if (upper.startsWith("HELO")) {
                    reply("250 smtp-peer");
                } else if (upper.equals("STARTTLS") && tls != null && !secured) {
                    reply("220 2.0.0 ready to start TLS");
                    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                            socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                    s.setUseClientMode(false);
                    s.startHandshake();
                    socket = s;
                    secured = true;
                    streams();
                } else if (upper.startsWith("AUTH PLAIN")) {
                    String arg = line.length() > 10 ? line.substring(10).strip() : "";
                    if (arg.isEmpty()) {
                        reply("334 ");
                        arg = in.readLine();
                    }
                    String[] parts = new String(Base64.getDecoder().decode(arg), StandardCharsets.UTF_8).split("\u0000", -1);
                    auth(parts.length == 3 ? parts[1] : "", parts.length == 3 ? parts[2] : "");
                } else if (upper.startsWith("AUTH LOGIN")) {
                    reply("334 VXNlcm5hbWU6");
                    String u = decode(in.readLine());
                    reply("334 UGFzc3dvcmQ6");
                    auth(u, decode(in.readLine()));
                } else if (upper.startsWith("MAIL FROM:")) {
                    if (user != null && authed == null) {
                        refusals.add("mail before auth");
                        reply("530 5.7.0 authentication required");
                    } else {
                        from = line.substring(10).strip();
                        to.clear();
                        reply("250 2.1.0 ok");
                    }
                } else if (upper.startsWith("RCPT TO:")) {
                    String scripted = rcptReplies.poll();
                    if (scripted == null || scripted.startsWith("2")) to.add(line.substring(8).strip());
                    reply(scripted == null ? "250 2.1.5 ok" : scripted);
                } else if (upper.equals("DATA")) {
                    data();
                } else if (upper.equals("RSET")) {
                    from = null;
                    to.clear();
                    reply("250 2.0.0 ok");
                } else if (upper.equals("NOOP")) {
                    reply("250 2.0.0 ok");
                } else if (upper.equals("QUIT")) {
                    reply("221 2.0.0 bye");
                    return;
                } else {
                    reply("502 5.5.1 not implemented");
                }
            }
        }

        private void data() throws IOException {
            if (from == null || to.isEmpty()) {
                reply("503 5.5.1 need MAIL and RCPT first");
                return;
            }
            reply("354 end with <CRLF>.<CRLF>");
            StringBuilder body = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null && !line.equals(".")) {
                body.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
            }
            String scripted = dataReplies.poll();
            if (scripted == null || scripted.startsWith("2")) {
                received.add(new Received(from, List.copyOf(to), body.toString().getBytes(StandardCharsets.ISO_8859_1), secured, authed));
            }
            reply(scripted == null ? "250 2.0.0 queued" : scripted);
            from = null;
            to.clear();
        }

        private void auth(String u, String p) throws IOException {
            if (u.equals(user) && p.equals(password)) {
                authed = u;
                reply("235 2.7.0 authenticated");
            } else {
                refusals.add("bad credentials for " + u);
                reply("535 5.7.8 authentication failed");
            }
        }

        private String decode(String b64) {
            return b64 == null ? "" : new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
        }

        private void streams() throws IOException {
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out = socket.getOutputStream();
        }

        private void reply(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        server.close();
    }
}
