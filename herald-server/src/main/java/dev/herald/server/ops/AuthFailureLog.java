package dev.herald.server.ops;

import dev.herald.core.Json;
import dev.herald.core.http.HttpResponse;
import dev.herald.core.http.HttpService;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WARN lines for refused authentications, on every transport, with the client's address and the
 * refusal code, never the credential. Rate-limited so a hostile client cannot flood the log: per
 * {@link #WINDOW}, one line per address and at most {@link #MAX_LINES} lines in all; what was left
 * out is counted and reported in one line when the next window opens.
 *
 * <p>Threading: thread-safe; the lock is held for a set lookup only.
 */
public final class AuthFailureLog {
    public static final Duration WINDOW = Duration.ofMinutes(1);
    public static final int MAX_LINES = 20;
    private static final Logger log = LoggerFactory.getLogger(AuthFailureLog.class);

    private final ThrottledWarnings throttle;

    public AuthFailureLog(Clock clock) {
        this.throttle = new ThrottledWarnings(clock, WINDOW, MAX_LINES, dropped ->
                log.warn("{} more refused authentication(s) in the previous minute were not logged one by one", dropped));
    }

    /**
     * @param transport e.g. {@code client}, {@code rest}, {@code grpc}
     * @param address   the client's IP, or empty when unknown
     * @param code      the refusal code (e.g. {@code TOKEN_EXPIRED})
     */
    public void refused(String transport, String address, String code) {
        String ip = address == null || address.isBlank() ? "unknown" : address;
        if (throttle.admit(ip)) log.warn("refused authentication over {} from {}: {}", transport, ip, code);
    }

    /** The service, logging its 401 answers here (REST, /metrics). */
    public HttpService watching(String transport, HttpService service) {
        return request -> {
            Optional<HttpResponse> answer = service.handle(request);
            answer.filter(r -> r.status() == 401).ifPresent(r -> refused(transport, request.remoteAddress(), codeOf(r)));
            return answer;
        };
    }

    private static String codeOf(HttpResponse r) {
        try {
            return Json.parse(new String(r.body(), StandardCharsets.UTF_8), "error").at("/error/code").asText("UNAUTHENTICATED");
        } catch (RuntimeException e) {
            return "UNAUTHENTICATED";
        }
    }

    /** A gRPC interceptor that logs calls closed with UNAUTHENTICATED; install it outside the auth interceptor. */
    public ServerInterceptor grpcInterceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
                return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        if (status.getCode() == Status.Code.UNAUTHENTICATED) {
                            SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
                            String ip = remote instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "";
                            String code = trailers.get(Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER));
                            refused("grpc", ip, code == null ? "UNAUTHENTICATED" : code);
                        }
                        super.close(status, trailers);
                    }
                }, headers);
            }
        };
    }
}
