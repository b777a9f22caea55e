package dev.herald.api.grpc;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Maps Herald's coded refusals onto gRPC statuses. The seed error code travels twice: as the
 * prefix of the description ({@code "INVALID_EVENT_TYPE: …"}) for people and grpcurl, and in the
 * {@code error-code} trailer for programs.
 */
public final class GrpcErrors {
    public static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcErrors() {
    }

    public static Status.Code statusCode(ErrorCode code) {
        return switch (code) {
            case AUTH_FAILED, INVALID_TOKEN, TOKEN_EXPIRED, UNAUTHENTICATED -> Status.Code.UNAUTHENTICATED;
            case FORBIDDEN -> Status.Code.PERMISSION_DENIED;
            case USER_NOT_CONNECTED, ROOM_NOT_FOUND, NOT_FOUND -> Status.Code.NOT_FOUND;
            case INVALID_EVENT_TYPE, INVALID_ARGUMENT, PAYLOAD_TOO_LARGE -> Status.Code.INVALID_ARGUMENT;
            case CONNECTION_LIMIT_REACHED, RATE_LIMITED -> Status.Code.RESOURCE_EXHAUSTED;
            case CONFLICT -> Status.Code.ALREADY_EXISTS;
            case CHANNEL_NOT_CONFIGURED, TEMPLATE_NOT_FOUND, TEMPLATE_VARIABLE_MISSING, TEMPLATE_INVALID -> Status.Code.FAILED_PRECONDITION;
            // All four mean "the cluster could not take it right now": the caller may retry.
            case DELIVERY_FAILED, BROKER_UNAVAILABLE, OVERLOADED, UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    /** Seconds to wait before retrying an {@code OVERLOADED} call, as HTTP's {@code Retry-After}. */
    public static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

    public static StatusRuntimeException toStatus(HeraldException e) {
        if (e instanceof dev.herald.core.route.FanOutBacklog.Overloaded o) {
            Metadata trailers = new Metadata();
            trailers.put(ERROR_CODE, e.code().name());
            trailers.put(RETRY_AFTER, Long.toString(o.retryAfterSeconds()));
            return Status.fromCode(statusCode(e.code())).withDescription(e.code().name() + ": " + e.getMessage()).asRuntimeException(trailers);
        }
        return toStatus(e.code(), e.getMessage());
    }

    public static StatusRuntimeException toStatus(ErrorCode code, String message) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, code.name());
        return Status.fromCode(statusCode(code)).withDescription(code.name() + ": " + message).asRuntimeException(trailers);
    }
}
