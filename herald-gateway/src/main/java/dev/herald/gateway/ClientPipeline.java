package dev.herald.gateway;

import dev.herald.core.http.HttpService;
import dev.herald.gateway.http.CappedAggregator;
import dev.herald.gateway.http.ConnectionsPerIp;
import dev.herald.gateway.http.Cors;
import dev.herald.gateway.http.HttpDrain;
import dev.herald.gateway.http.HttpTimeouts;
import dev.herald.gateway.http.InOrderResponses;
import dev.herald.gateway.http.RequestHead;
import dev.herald.gateway.http.Router;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The handlers of one client connection, in the order bytes meet them. {@link GatewayServer}
 * installs them on every accepted channel; tests install them on an {@code EmbeddedChannel} with
 * an executor they drive, to decide which request's service finishes first.
 */
final class ClientPipeline {
    private final GatewayConfig config;
    private final Map<String, Router.Endpoint> engines;
    private final Router.Endpoint plainWebSocket;
    private final List<HttpService> services;
    private final Executor blocking;
    private final HttpDrain drain;
    private final ConnectionsPerIp perIp;
    private final SslContext tls;

    ClientPipeline(GatewayConfig config, Map<String, Router.Endpoint> engines, Router.Endpoint plainWebSocket,
                   List<HttpService> services, Executor blocking, HttpDrain drain) {
        this(config, engines, plainWebSocket, services, blocking, drain, null);
    }

    /** @param tls when not null, every connection speaks TLS first (wss://, https://) */
    ClientPipeline(GatewayConfig config, Map<String, Router.Endpoint> engines, Router.Endpoint plainWebSocket,
                   List<HttpService> services, Executor blocking, HttpDrain drain, SslContext tls) {
        this.config = config;
        this.engines = Map.copyOf(engines);
        this.plainWebSocket = plainWebSocket;
        this.services = List.copyOf(services);
        this.blocking = blocking;
        this.drain = drain;
        this.perIp = config.http().maxConnectionsPerIp() > 0 ? new ConnectionsPerIp(config.http().maxConnectionsPerIp()) : null;
        this.tls = tls;
    }

    void install(Channel ch) {
        GatewayConfig.Http http = config.http();
        if (perIp != null) ch.pipeline().addLast(perIp);
        // After the per-IP cap (a refused connection costs no TLS handshake), before every byte of HTTP.
        if (tls != null) ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
        ch.pipeline()
                .addLast(RequestHead.codec())
                .addLast(new InOrderResponses(http.maxPipelinedRequests()))
                .addLast(new HttpTimeouts(http.headerTimeout(), http.bodyTimeout(), http.idleTimeout()))
                .addLast(new CappedAggregator(config.limits().maxPayloadBytes()))
                .addLast(new Cors(config.listen().allowedOrigins()))
                .addLast(new Router(engines, plainWebSocket, services, blocking, drain));
    }
}
