/**
 * Herald's client port: one Netty server ({@link dev.herald.gateway.GatewayServer}) carrying
 * Socket.IO v5 over Engine.IO v4 ({@code engineio}, {@code socketio}), plain WebSocket at /ws
 * ({@code ws}) and every other HTTP request for the {@link dev.herald.core.http.HttpService}s
 * ({@code http}).
 *
 * <p>Threading: protocol state lives on Netty event loops and is never locked; everything that may
 * block (authentication, the {@link dev.herald.core.deliver.live.SessionHandler}, HTTP services) runs on
 * virtual threads, serially per session through {@link dev.herald.gateway.SerialExecutor}.
 *
 * <p>Backpressure: each connection's outbound bytes are bounded by
 * {@link dev.herald.gateway.GatewayConfig#outboundBufferBytes()} (the channel's high-water mark for
 * WebSocket, the queued packets for polling); past it the client is dropped with
 * {@code slow_consumer} and counted ({@code herald_gateway_slow_consumer_drops_total}).
 */
package dev.herald.gateway;
