package dev.herald.bench.scenario;

/**
 * Everything a scenario run needs; built by the command line, validated here.
 *
 * @param target      a label for reports: herald, reference, ceiling
 * @param connections connections (idle, unicast, pipeline), room members (fanout), or user ids to cycle (handshake)
 * @param rate        requests a second the publisher issues (fanout, unicast, pipeline)
 * @param seconds     publishing or churning time
 * @param holdSeconds how long idle connections are held before memory is read
 * @param perWorker   connections per worker process (each process may hold 20 000 files)
 * @param concurrency handshakes in flight at once, over all workers
 * @param grpcPort    when positive, unicast publishes with gRPC SendToUser on this port instead of REST
 * @param warmupSeconds publishing or churning before the measurement starts, so the JIT has compiled
 *                    the hot paths of client and server; what it sees is discarded
 * @param recipientsPerRequest pipeline, webhooks: users named in each notification request
 *                    (consecutive users, so distinct while it is at most {@code connections})
 * @param webhooks    what only the webhooks scenario reads
 * @param cluster     the nodes of a cluster under test (fanout, unicast); {@link Cluster#NONE}: one node
 * @param warmupRate  the warm-up's publishing rate as a share of {@code rate}, in (0, 1]: a tenth by
 *                    default, so a saturated target never carries a backlog into the measurement; 1
 *                    measures the steady state at the rate, with code compiled for it
 */
public record Options(String target, String host, int port, String protocol, String secret, String apiKey,
                      String team, String event, int connections, int rate, double seconds, double holdSeconds,
                      int perWorker, int concurrency, int workerThreads, long serverPid, String memoryUrl,
                      int publishConnections, int publishWindow, double drainSeconds, double warmupSeconds,
                      int grpcPort, int recipientsPerRequest, Webhooks webhooks, Cluster cluster, double warmupRate) {
    /** The warm-up's rate unless {@code --warmup-rate} says otherwise. */
    public static final double DEFAULT_WARMUP_RATE = 0.1;

    /**
     * The webhooks scenario's own settings.
     *
     * @param secret      the server's {@code WEBHOOK_SIGNING_SECRET}, to check signatures with
     * @param verifyEvery the receiver checks the signature of one request in this many
     * @param failPercent share of webhooks whose first attempt the receiver answers 503 (0: none)
     * @param priority    the creates' priority, or null to send none (the server's default, medium)
     * @param databaseUrl the server's PostgreSQL, to read its backends' CPU; null to skip that
     */
    public record Webhooks(String secret, int verifyEvery, double failPercent, String priority, String databaseUrl) {
        public static final Webhooks NONE = new Webhooks(null, 100, 0, null, null);

        public Webhooks {
            if (verifyEvery < 1) throw new IllegalArgumentException("--verify-every must be 1 or more");
            if (failPercent < 0 || failPercent > 100) throw new IllegalArgumentException("--fail-percent must be 0..100");
        }
    }

    /**
     * A cluster of nodes under test: connections spread round-robin over every node (user {@code u}
     * on {@code ports[u % n]}), publishes to the first ({@code --port}), and CPU read from every pid.
     *
     * @param ports     every node's client port, the publishing node first; empty: one node
     * @param pids      the nodes' pids in the same order (CPU per node), or empty
     * @param brokerPids the Redis (registry, and broker on Redis) and NATS server processes, for
     *                  their CPU; empty when unknown
     */
    public record Cluster(int[] ports, long[] pids, long[] brokerPids) {
        public static final Cluster NONE = new Cluster(new int[0], new long[0], new long[0]);

        public Cluster {
            if (ports == null) ports = new int[0];
            if (pids == null) pids = new long[0];
            if (brokerPids == null) brokerPids = new long[0];
            if (pids.length > 0 && pids.length != ports.length) {
                throw new IllegalArgumentException("--cluster-pids must name one pid for each of --cluster-ports");
            }
        }

        /** Nodes under test: 1 without a cluster. */
        public int nodes() {
            return Math.max(1, ports.length);
        }
    }

    /** Every scenario but webhooks, on one node. */
    public Options(String target, String host, int port, String protocol, String secret, String apiKey,
                   String team, String event, int connections, int rate, double seconds, double holdSeconds,
                   int perWorker, int concurrency, int workerThreads, long serverPid, String memoryUrl,
                   int publishConnections, int publishWindow, double drainSeconds, double warmupSeconds,
                   int grpcPort, int recipientsPerRequest) {
        this(target, host, port, protocol, secret, apiKey, team, event, connections, rate, seconds, holdSeconds,
                perWorker, concurrency, workerThreads, serverPid, memoryUrl, publishConnections, publishWindow, drainSeconds,
                warmupSeconds, grpcPort, recipientsPerRequest, Webhooks.NONE, Cluster.NONE, DEFAULT_WARMUP_RATE);
    }

    /** One node. */
    public Options(String target, String host, int port, String protocol, String secret, String apiKey,
                   String team, String event, int connections, int rate, double seconds, double holdSeconds,
                   int perWorker, int concurrency, int workerThreads, long serverPid, String memoryUrl,
                   int publishConnections, int publishWindow, double drainSeconds, double warmupSeconds,
                   int grpcPort, int recipientsPerRequest, Webhooks webhooks) {
        this(target, host, port, protocol, secret, apiKey, team, event, connections, rate, seconds, holdSeconds,
                perWorker, concurrency, workerThreads, serverPid, memoryUrl, publishConnections, publishWindow, drainSeconds,
                warmupSeconds, grpcPort, recipientsPerRequest, webhooks, Cluster.NONE, DEFAULT_WARMUP_RATE);
    }

    public Options {
        if (webhooks == null) webhooks = Webhooks.NONE;
        if (cluster == null) cluster = Cluster.NONE;
        if (cluster.ports().length > 0 && cluster.ports()[0] != port) {
            throw new IllegalArgumentException("a cluster's first port is the publishing node's --port");
        }
        if (connections < 1) throw new IllegalArgumentException("--connections must be positive");
        if (perWorker < 1 || perWorker > 19_000) throw new IllegalArgumentException("--per-worker must be 1..19000 (20 000 open files per process)");
        if (rate < 1) throw new IllegalArgumentException("--rate must be positive");
        if (seconds <= 0) throw new IllegalArgumentException("--seconds must be positive");
        if (!(warmupRate > 0 && warmupRate <= 1)) throw new IllegalArgumentException("--warmup-rate must be in (0, 1]");
        if (concurrency < 1) throw new IllegalArgumentException("--concurrency must be positive");
        if (recipientsPerRequest < 1 || recipientsPerRequest > connections) {
            throw new IllegalArgumentException("--recipients-per-request must be 1..--connections (distinct users)");
        }
        if (secret == null || secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32)
            throw new IllegalArgumentException("--secret (JWT_SECRET) must be at least 32 bytes for HS256");
    }

    public Options withConnections(int n) {
        return new Options(target, host, port, protocol, secret, apiKey, team, event, n, rate, seconds, holdSeconds,
                perWorker, concurrency, workerThreads, serverPid, memoryUrl, publishConnections, publishWindow, drainSeconds,
                warmupSeconds, grpcPort, recipientsPerRequest, webhooks, cluster, warmupRate);
    }

    /** The same run counting deliveries of {@code e} instead: the event the scenario's server emits. */
    public Options withEvent(String e) {
        return new Options(target, host, port, protocol, secret, apiKey, team, e, connections, rate, seconds, holdSeconds,
                perWorker, concurrency, workerThreads, serverPid, memoryUrl, publishConnections, publishWindow, drainSeconds,
                warmupSeconds, grpcPort, recipientsPerRequest, webhooks, cluster, warmupRate);
    }

    public Options withWebhooks(Webhooks w) {
        return new Options(target, host, port, protocol, secret, apiKey, team, event, connections, rate, seconds, holdSeconds,
                perWorker, concurrency, workerThreads, serverPid, memoryUrl, publishConnections, publishWindow, drainSeconds,
                warmupSeconds, grpcPort, recipientsPerRequest, w, cluster, warmupRate);
    }

    public Options withCluster(Cluster c) {
        return new Options(target, host, port, protocol, secret, apiKey, team, event, connections, rate, seconds, holdSeconds,
                perWorker, concurrency, workerThreads, serverPid, memoryUrl, publishConnections, publishWindow, drainSeconds,
                warmupSeconds, grpcPort, recipientsPerRequest, webhooks, c, warmupRate);
    }

    public Options withWarmupRate(double share) {
        return new Options(target, host, port, protocol, secret, apiKey, team, event, connections, rate, seconds, holdSeconds,
                perWorker, concurrency, workerThreads, serverPid, memoryUrl, publishConnections, publishWindow, drainSeconds,
                warmupSeconds, grpcPort, recipientsPerRequest, webhooks, cluster, share);
    }
}
