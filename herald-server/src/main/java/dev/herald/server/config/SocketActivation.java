package dev.herald.server.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * systemd's socket activation (sd_listen_fds(3)): a supervisor that holds the client port's
 * listening socket starts Herald with it as descriptor 3, {@code LISTEN_FDS=1} and {@code
 * LISTEN_PID} set to Herald's pid. While Herald restarts, connecting clients wait in that socket's
 * queue instead of being refused and backing off for seconds, and the new process accepts them as
 * soon as it serves. Variables meant for another process (a different {@code LISTEN_PID}, or none)
 * are ignored, as sd_listen_fds does; the first socket is the client port, further ones unused.
 */
final class SocketActivation {
    /** sd_listen_fds' first descriptor: 0-2 are stdin, stdout and stderr. */
    static final int FIRST_DESCRIPTOR = 3;

    private SocketActivation() {}

    static OptionalInt clientSocket(Env env, long pid) {
        Optional<String> count = env.get("LISTEN_FDS");
        Optional<String> meantFor = env.get("LISTEN_PID");
        if (count.isEmpty() || meantFor.isEmpty()) return OptionalInt.empty();
        long target;
        try {
            target = Long.parseLong(meantFor.get());
        } catch (NumberFormatException e) {
            throw new ConfigException("LISTEN_PID", "must be a process id, got '" + meantFor.get() + "'");
        }
        if (target != pid) return OptionalInt.empty();
        int sockets = env.integer("LISTEN_FDS", 0, 0, 1024);
        return sockets == 0 ? OptionalInt.empty() : OptionalInt.of(FIRST_DESCRIPTOR);
    }
}
