package dev.herald.gateway.socketio;

/**
 * Decides about CONNECT packets for one namespace: call {@link ConnectRequest#accept} or
 * {@link ConnectRequest#reject} exactly once, from any thread (an authenticator may block, so a
 * handler that checks tokens does that on a virtual thread). Called on the event loop.
 */
@FunctionalInterface
public interface ConnectHandler {
    void onConnect(ConnectRequest request);
}
