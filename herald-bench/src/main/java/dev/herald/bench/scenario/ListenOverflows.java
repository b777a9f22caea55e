package dev.herald.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's count of connections a listening socket turned away because its accept queue was
 * full ({@code TcpExt: ListenOverflows} in {@code /proc/net/netstat}, this network namespace, every
 * socket). A turned-away client is not refused: its SYN or final ACK is dropped and TCP sends it
 * again after 1 s, 3 s, 7 s, so a reconnect storm that overflows the queue stretches by seconds.
 * Linux only; elsewhere {@link #read()} answers -1.
 */
final class ListenOverflows {
    private static final Path NETSTAT = Path.of("/proc/net/netstat");

    private ListenOverflows() {}

    static long read() {
        try {
            return parse(Files.readAllLines(NETSTAT));
        } catch (IOException | RuntimeException unreadable) {
            return -1;
        }
    }

    /** The file pairs a header line with a value line per group: "TcpExt: A B …" then "TcpExt: 1 2 …". */
    static long parse(List<String> lines) {
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (!lines.get(i).startsWith("TcpExt:") || !lines.get(i + 1).startsWith("TcpExt:")) continue;
            String[] names = lines.get(i).trim().split("\\s+");
            String[] values = lines.get(i + 1).trim().split("\\s+");
            for (int k = 1; k < names.length && k < values.length; k++) {
                if (names[k].equals("ListenOverflows")) return Long.parseLong(values[k]);
            }
        }
        return -1;
    }
}
