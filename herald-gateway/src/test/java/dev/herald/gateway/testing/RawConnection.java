package dev.herald.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain TCP connection for sending HTTP exactly as a misbehaving client would (nothing, a few
 * bytes at a time, half a body). {@link #closedByServer()} looks without blocking for long, so it
 * suits Awaitility's polling.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket = new Socket();
    private final OutputStream out;
    private final InputStream in;
    private final StringBuilder received = new StringBuilder();
    private boolean eof;

    public RawConnection(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(20);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    public RawConnection send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** True once the server closed the connection (everything it sent before is in {@link #received()}). */
    public boolean closedByServer() throws IOException {
        if (eof) return true;
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) received.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            eof = true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            eof = true; // reset by the server counts as closed
        }
        return eof;
    }

    /** Reads what has arrived so far. */
    public String received() throws IOException {
        closedByServer();
        return received.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
