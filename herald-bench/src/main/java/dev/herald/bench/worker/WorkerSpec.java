package dev.herald.bench.worker;

/**
 * What one worker process does, passed as JSON on its command line.
 *
 * @param mode        {@code hold}: open users {@code firstUser .. firstUser+count-1} and keep them;
 *                    {@code churn}: connect-authenticate-close cycles over those users until stopped;
 *                    {@code reconnect}: hold, with the client's own reconnection and a sync after it
 *                    (official client only)
 * @param concurrency handshakes in flight at once
 * @param ports       a cluster's client ports: user {@code u} connects to {@code ports[u % ports.length]}
 *                    (round-robin, as a load balancer spreads users); empty: every user to {@code port}
 */
public record WorkerSpec(String host, int port, String protocol, String mode, int firstUser, int count,
                         int concurrency, String secret, String team, String event, int threads, int[] ports) {
    /** One node: every connection to {@code port}. */
    public WorkerSpec(String host, int port, String protocol, String mode, int firstUser, int count,
                      int concurrency, String secret, String team, String event, int threads) {
        this(host, port, protocol, mode, firstUser, count, concurrency, secret, team, event, threads, new int[0]);
    }

    public WorkerSpec {
        if (ports == null) ports = new int[0];
        if (!mode.equals("hold") && !mode.equals("churn") && !mode.equals("reconnect")) {
            throw new IllegalArgumentException("mode must be hold, churn or reconnect");
        }
        if (count < 1) throw new IllegalArgumentException("count must be positive");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be positive");
        if (threads < 1) throw new IllegalArgumentException("threads must be positive");
    }

    /** The client port user {@code user} connects to. */
    public int portOf(int user) {
        return ports.length == 0 ? port : ports[Math.floorMod(user, ports.length)];
    }
}
