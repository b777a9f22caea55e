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

    ClientPipeline(GatewayConfig config, Map<String, Router.Endpoint> engines, Router.Endpoint plainWebSocket,
                   List<HttpService> services, Executor blocking, HttpDrain drain) {
        this.config = config;
        this.engines = Map.copyOf(engines);
        this.plainWebSocket = plainWebSocket;
        this.services = List.copyOf(services);
        this.blocking = blocking;
        this.drain = drain;
        this.perIp = config.http().maxConnectionsPerIp() > 0 ? new ConnectionsPerIp(config.http().maxConnectionsPerIp()) : null;
    }

    void install(Channel ch) {
        GatewayConfig.Http http = config.http();
        if (perIp != null) ch.pipeline().addLast(perIp);
        ch.pipeline()
                .addLast(RequestHead.codec())
                .addLast(new InOrderResponses(http.maxPipelinedRequests()))
                .addLast(new HttpTimeouts(http.headerTimeout(), http.bodyTimeout(), http.idleTimeout()))
                .addLast(new CappedAggregator(config.limits().maxPayloadBytes()))
                .addLast(new Cors(config.listen().allowedOrigins()))
                .addLast(new Router(engines, plainWebSocket, services, blocking, drain));
    }
}
