package dev.herald.api.auth;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.herald.core.HeraldException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Runs a call that must be refused and returns the refusal, failing the test when none comes. */
final class Refusals {
    private Refusals() {
    }

    static HeraldException refusal(ThrowingCallable call) {
        HeraldException e = catchThrowableOfType(HeraldException.class, call);
        if (e == null) throw new AssertionError("expected a HeraldException, but the call succeeded");
        return e;
    }
}
