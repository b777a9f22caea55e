package dev.herald.server.security;

import dev.herald.api.grpc.GrpcErrors;
import dev.herald.core.limit.RateLimited;
import dev.herald.core.limit.RateLimiter;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The REST API's limits on gRPC (see {@link ApiRateLimit}): every call spends from its caller's
 * per-second budget, a broadcast method ({@code BroadcastToRoom}, and any method named
 * {@code Broadcast…}) from the broadcast budget too. A refusal is {@code RESOURCE_EXHAUSTED} with
 * trailers {@code error-code: RATE_LIMITED} and {@code retry-after} (seconds). Install it outside
 * the authentication interceptor: a flood is refused before any token is verified.
 */
final class GrpcRateLimit implements ServerInterceptor {
    static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final RateLimiter requests;
    private final RateLimiter broadcasts;

    GrpcRateLimit(RateLimiter requests, RateLimiter broadcasts) {
        this.requests = requests;
        this.broadcasts = broadcasts;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String ip = remote instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : null;
        String caller = ApiRateLimit.callerKey(headers.get(AUTHORIZATION), headers.get(API_KEY), ip);
        RateLimited refusal = requests.check(caller, "requests");
        String method = call.getMethodDescriptor().getBareMethodName();
        if (refusal == null && method != null && method.startsWith("Broadcast")) refusal = broadcasts.check(caller, "broadcasts");
        if (refusal == null) return next.startCall(call, headers);
        StatusRuntimeException status = GrpcErrors.toStatus(refusal);
        Metadata trailers = status.getTrailers() == null ? new Metadata() : status.getTrailers();
        trailers.put(RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
        call.close(status.getStatus(), trailers);
        return new ServerCall.Listener<>() { };
    }
}
