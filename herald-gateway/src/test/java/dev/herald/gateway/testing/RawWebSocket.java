package dev.herald.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A hand-rolled WebSocket client on a plain socket, for what a polite client never does: stop
 * reading, or stay silent. Sends masked text frames; reads only the handshake answer.
 */
public final class RawWebSocket implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RawWebSocket(int port, String pathAndQuery, int receiveBuffer) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        out = socket.getOutputStream();
        in = socket.getInputStream();
        String req = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("closed during handshake: " + head);
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) throw new IOException("handshake refused: " + head);
    }

    /** Sends one masked text frame (zero mask key, which the protocol allows). */
    public void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) throw new IllegalArgumentException("short frames only");
        out.write(new byte[]{(byte) 0x81, (byte) (0x80 | payload.length), 0, 0, 0, 0});
        out.write(payload);
        out.flush();
    }

    /** One frame from the server: its opcode (1 text, 8 close...) and payload. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        public int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    /** Sends one masked text frame whose payload is exactly these bytes (valid UTF-8 or not). */
    public void sendTextBytes(byte[] payload) throws IOException {
        if (payload.length > 125) throw new IllegalArgumentException("short frames only");
        out.write(new byte[]{(byte) 0x81, (byte) (0x80 | payload.length), 0, 0, 0, 0});
        out.write(payload);
        out.flush();
    }

    /** Reads the server's frames up to and including its close frame; null if the connection ends first. */
    public java.util.List<Frame> readUntilClose(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        java.io.DataInputStream data = new java.io.DataInputStream(in);
        java.util.List<Frame> frames = new java.util.ArrayList<>();
        try {
            while (true) {
                int b0 = data.readUnsignedByte();
                int b1 = data.readUnsignedByte();
                long length = b1 & 0x7f;
                if (length == 126) length = data.readUnsignedShort();
                else if (length == 127) length = data.readLong();
                byte[] payload = new byte[Math.toIntExact(length)];
                data.readFully(payload);
                Frame f = new Frame(b0 & 0x0f, payload);
                frames.add(f);
                if (f.opcode() == 8) return frames;
            }
        } catch (java.io.EOFException | java.net.SocketException e) {
            return null;
        }
    }

    /** Reads until the server closes the TCP connection; false if it is still open after the timeout. */
    public boolean awaitEof(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] buf = new byte[8192];
        try {
            while (in.read(buf) >= 0) {
                // discard
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset by the server counts as closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
