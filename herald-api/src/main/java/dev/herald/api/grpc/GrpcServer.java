package dev.herald.api.grpc;

import dev.herald.api.auth.ServiceAuth;
import dev.herald.core.ingest.LiveEvents;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import notifications.v1.NotificationsServiceGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC port: NotificationsService (and herald.v1.Notifications when given) behind service authentication, plus the standard health
 * ({@code grpc.health.v1}) and reflection (v1 and v1alpha, for older grpcurl) services, which
 * stay open so probes and tooling need no credentials.
 *
 * <p>Calls run on virtual threads, so the realtime facade may block (presence in Redis, a JWKS
 * fetch) without holding a Netty event loop. Lifecycle: {@link #start} once, {@link #close} once.
 */
public final class GrpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);
    private static final String SERVICE_NAME = NotificationsServiceGrpc.SERVICE_NAME;
    /**
     * The largest request metadata accepted, advertised to clients as HTTP/2's max header list size.
     * gRPC's 8 KB default made a large token fail in the transport (INTERNAL, no error-code); at
     * 64 KB every credential up to the authenticator's 16 KB limit and beyond is judged by
     * {@link ServiceAuthInterceptor} and refused with a code. Past 64 KB a conforming client
     * refuses to send the call itself, so no server answer is possible.
     */
    static final int MAX_METADATA_BYTES = 64 * 1024;

    private final GrpcConfig config;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Server server;
    private final List<String> services = new ArrayList<>(List.of(SERVICE_NAME));

    @SuppressWarnings("deprecation") // ProtoReflectionService is v1alpha, still asked for by older clients
    public GrpcServer(GrpcConfig config, LiveEvents realtime, ServiceAuth auth) {
        this(config, realtime, auth, List.of());
    }

    /** @param outer interceptors around the authentication one (they see its refusals), e.g. for logging */
    public GrpcServer(GrpcConfig config, LiveEvents realtime, ServiceAuth auth, List<ServerInterceptor> outer) {
        this(config, realtime, auth, outer, List.of(), null);
    }

    /**
     * @param more further services (herald.v1.Notifications), behind the same authentication and
     *     interceptors, and listed by reflection
     */
    public GrpcServer(GrpcConfig config, LiveEvents realtime, ServiceAuth auth, List<ServerInterceptor> outer,
                      List<BindableService> more) {
        this(config, realtime, auth, outer, more, null);
    }

    /** @param tls see the constructor with every parameter */
    public GrpcServer(GrpcConfig config, LiveEvents realtime, ServiceAuth auth, List<ServerInterceptor> outer,
                      io.netty.handler.ssl.SslContext tls) {
        this(config, realtime, auth, outer, List.of(), tls);
    }

    /**
     * @param more further services (herald.v1.Notifications), behind the same authentication and
     *     interceptors, and listed by reflection
     * @param tls when not null, the server speaks TLS only with it (a context built for gRPC:
     *     {@code GrpcSslContexts.configure}); one whose key manager reloads gives new connections the new certificate
     */
    @SuppressWarnings("deprecation")
    public GrpcServer(GrpcConfig config, LiveEvents realtime, ServiceAuth auth, List<ServerInterceptor> outer,
                      List<BindableService> more, io.netty.handler.ssl.SslContext tls) {
        this.config = config;
        List<ServerInterceptor> chain = new ArrayList<>();
        chain.add(new ServiceAuthInterceptor(auth));
        chain.addAll(outer);
        NettyServerBuilder builder = NettyServerBuilder.forPort(config.port());
        if (tls != null) builder.sslContext(tls);
        for (BindableService service : more) {
            builder.addService(ServerInterceptors.intercept(service, chain));
            services.add(service.bindService().getServiceDescriptor().getName());
        }
        this.server = builder
                .executor(executor)
                // grpc-netty's own pooled allocator gives every thread that writes a response its
                // own cache, and every call runs on a new virtual thread: a JFR profile of unicast
                // over SendToUser showed that cache's set-up per call. Netty 4.2's adaptive
                // allocator shares its magazines with threads that are not event loops.
                .withChildOption(ChannelOption.ALLOCATOR, ByteBufAllocator.DEFAULT)
                .maxInboundMessageSize(config.maxMessageBytes())
                .maxInboundMetadataSize(MAX_METADATA_BYTES)
                .addService(ServerInterceptors.intercept(new NotificationsGrpcService(realtime), chain))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(ProtoReflectionService.newInstance())
                .build();
    }

    public GrpcServer start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on GRPC_PORT " + config.port(), e);
        }
        health.setStatus("", ServingStatus.SERVING);
        for (String name : services) health.setStatus(name, ServingStatus.SERVING);
        log.info("gRPC listening on port {}", server.getPort());
        return this;
    }

    /** The bound port (the real one when configured with 0). */
    public int port() {
        return server.getPort();
    }

    /** Reports NOT_SERVING, lets in-flight calls finish within the grace period, then cancels the rest. */
    @Override
    public void close() {
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
        }
    }
}
