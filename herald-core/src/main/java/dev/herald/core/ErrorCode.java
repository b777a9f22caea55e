package dev.herald.core;

/**
 * Every coded refusal Herald gives, on every surface (Socket.IO CONNECT_ERROR and acks, /ws frames,
 * REST {@code {"error":{"code"}}}, gRPC status details). The first seven are seed 000's names.
 */
public enum ErrorCode {
    AUTH_FAILED(401),
    INVALID_TOKEN(401),
    TOKEN_EXPIRED(401),
    USER_NOT_CONNECTED(404),
    ROOM_NOT_FOUND(404),
    INVALID_EVENT_TYPE(400),
    DELIVERY_FAILED(502),
    CONNECTION_LIMIT_REACHED(503),
    FORBIDDEN(403),
    NOT_FOUND(404),
    INVALID_ARGUMENT(400),
    PAYLOAD_TOO_LARGE(413),
    RATE_LIMITED(429),
    UNAUTHENTICATED(401),
    CONFLICT(409),
    /** A create names a delivery channel this server has no settings for. */
    CHANNEL_NOT_CONFIGURED(422),
    /** A create or preview names a template (or a channel variant of it) that does not exist. */
    TEMPLATE_NOT_FOUND(422),
    /** A create or preview leaves out a variable the template declares. */
    TEMPLATE_VARIABLE_MISSING(422),
    /** A template does not parse, or fails to render with the variables given. */
    TEMPLATE_INVALID(422),
    /** The broker that carries live messages between nodes is down: nothing was published, retry later. */
    BROKER_UNAVAILABLE(503),
    /**
     * This node holds as many live deliveries as it may queue (its fan-out backlog bound): nothing
     * was sent; retry after the {@code Retry-After} seconds.
     */
    OVERLOADED(503),
    UNAVAILABLE(503),
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status a REST answer with this code carries. */
    public int httpStatus() {
        return httpStatus;
    }
}
