package dev.herald.bench.worker;

/**
 * What one worker process does, passed as JSON on its command line.
 *
 * @param mode        {@code hold}: open users {@code firstUser .. firstUser+count-1} and keep them;
 *                    {@code churn}: connect-authenticate-close cycles over those users until stopped;
 *                    {@code reconnect}: hold, with the client's own reconnection and a sync after it
 *                    (official client only)
 * @param concurrency handshakes in flight at once
 */
public record WorkerSpec(String host, int port, String protocol, String mode, int firstUser, int count,
                         int concurrency, String secret, String team, String event, int threads) {
    public WorkerSpec {
        if (!mode.equals("hold") && !mode.equals("churn") && !mode.equals("reconnect")) {
            throw new IllegalArgumentException("mode must be hold, churn or reconnect");
        }
        if (count < 1) throw new IllegalArgumentException("count must be positive");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be positive");
        if (threads < 1) throw new IllegalArgumentException("threads must be positive");
    }
}
