package dev.herald.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.ErrorCode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GrpcErrorsTest {
    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void carriesEverySeedCodeInTheTrailerAndTheDescription(ErrorCode code) {
        StatusRuntimeException e = GrpcErrors.toStatus(code, "why");

        assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo(code.name());
        assertThat(e.getStatus().getDescription()).isEqualTo(code.name() + ": why");
    }

    @Test
    void tellsCallersToRetryWhenTheBrokerDidNotTakeTheMessage() {
        assertThat(GrpcErrors.statusCode(ErrorCode.DELIVERY_FAILED)).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void mapsEveryTokenProblemToUnauthenticatedAndForbiddenToPermissionDenied() {
        assertThat(GrpcErrors.statusCode(ErrorCode.TOKEN_EXPIRED)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(GrpcErrors.statusCode(ErrorCode.INVALID_TOKEN)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(GrpcErrors.statusCode(ErrorCode.FORBIDDEN)).isEqualTo(Status.Code.PERMISSION_DENIED);
    }
}
