package dev.herald.api.grpc;

import dev.herald.api.auth.Caller;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.core.HeraldException;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits only backend services: {@code authorization: Bearer <API key or JWT with role service>}
 * or {@code x-api-key: <key>}. Refuses with UNAUTHENTICATED (nothing, or nothing valid) or
 * PERMISSION_DENIED (a valid user token without the role). The caller is put in the call's
 * {@link Context} under {@link #CALLER}.
 *
 * <p>Runs on the server's application executor (virtual threads), so a JWKS fetch may block here.
 */
public final class ServiceAuthInterceptor implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(ServiceAuthInterceptor.class);
    public static final Context.Key<Caller> CALLER = Context.key("herald-caller");
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final ServiceAuth auth;

    public ServiceAuthInterceptor(ServiceAuth auth) {
        this.auth = auth;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Caller caller;
        try {
            caller = auth.requireService(ServiceAuth.credential(headers.get(AUTHORIZATION), headers.get(API_KEY)));
        } catch (HeraldException e) {
            log.warn("refused gRPC call {} from {}: {}", call.getMethodDescriptor().getFullMethodName(),
                    call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR), e.code());
            StatusRuntimeException status = GrpcErrors.toStatus(e);
            call.close(status.getStatus(), status.getTrailers());
            return new ServerCall.Listener<>() { };
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
    }
}
