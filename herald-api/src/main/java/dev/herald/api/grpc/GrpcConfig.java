package dev.herald.api.grpc;

import java.time.Duration;

/**
 * The gRPC server's settings.
 *
 * @param port TCP port ({@code GRPC_PORT}, 50053 in seed 000); 0 picks a free one (tests)
 * @param maxMessageBytes largest inbound message (not configurable: {@link #DEFAULT_MAX_MESSAGE_BYTES}); must leave room
 *     for a full realtime payload plus the request's other fields
 * @param shutdownGrace how long in-flight calls may finish at shutdown before they are cancelled
 */
public record GrpcConfig(int port, int maxMessageBytes, Duration shutdownGrace) {
    public static final int DEFAULT_PORT = 50053;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    public GrpcConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("GRPC_PORT must be 0-65535, got " + port);
        if (maxMessageBytes < 1024) throw new IllegalArgumentException("maxMessageBytes must be at least 1024, got " + maxMessageBytes);
        shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(10) : shutdownGrace;
        if (shutdownGrace.isNegative()) throw new IllegalArgumentException("GRPC_SHUTDOWN_GRACE must not be negative");
    }

    public static GrpcConfig onPort(int port) {
        return new GrpcConfig(port, DEFAULT_MAX_MESSAGE_BYTES, null);
    }
}
