package dev.herald.api.grpc;

import com.google.protobuf.Message;
import dev.herald.api.auth.Caller;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** How every Herald RPC answers: request text checked, MDC set, a value or a coded status, never a raw exception. */
final class GrpcCalls {
    private GrpcCalls() {
    }

    /** Runs one unary call with its MDC, answering a value or a coded status, never a raw exception. */
    static <T> void answer(Logger log, String rpc, Message req, String correlationId, StreamObserver<T> out, Supplier<T> work) {
        Caller caller = ServiceAuthInterceptor.CALLER.get();
        try {
            // Before the MDC: the correlation id is request text too.
            GrpcText.requireClean(req);
        } catch (HeraldException e) {
            log.info("{} refused: {} {}", rpc, e.code(), e.getMessage());
            out.onError(GrpcErrors.toStatus(e));
            return;
        }
        try (MDC.MDCCloseable c1 = correlationId.isEmpty() ? null : MDC.putCloseable(NotificationsGrpcService.MDC_CORRELATION_ID, correlationId);
             MDC.MDCCloseable c2 = caller == null ? null : MDC.putCloseable(NotificationsGrpcService.MDC_CALLER, caller.id())) {
            T value;
            try {
                value = work.get();
            } catch (HeraldException e) {
                if (e.code() == ErrorCode.INTERNAL) {
                    internal(log, rpc, correlationId, e, out);
                } else {
                    log.info("{} refused: {} {}", rpc, e.code(), e.getMessage());
                    out.onError(GrpcErrors.toStatus(e));
                }
                return;
            } catch (RuntimeException e) {
                internal(log, rpc, correlationId, e, out);
                return;
            }
            out.onNext(value);
            out.onCompleted();
        }
    }

    /** A failure that is Herald's, not the caller's: logged at ERROR with the cause, answered without it. */
    private static void internal(Logger log, String rpc, String correlationId, RuntimeException e, StreamObserver<?> out) {
        log.error("{} failed (correlation id {})", rpc, correlationId.isEmpty() ? "none" : correlationId, e);
        out.onError(GrpcErrors.toStatus(ErrorCode.INTERNAL, "unexpected server error"));
    }
}
