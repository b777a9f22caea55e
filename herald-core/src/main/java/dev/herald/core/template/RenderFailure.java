package dev.herald.core.template;

/**
 * A template that cannot be rendered: it does not parse, or an expression fails on the variables
 * given. The message is safe to log and to show an operator: it names the template part and the
 * engine's complaint, never a variable's value.
 */
public final class RenderFailure extends RuntimeException {
    public RenderFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
