package dev.herald.channels.webhook;

/**
 * A webhook setting that cannot be used, naming the variable, so herald-server's configuration can
 * stop the start with a message the operator acts on (it rethrows it as its ConfigException).
 */
public final class InvalidSetting extends IllegalArgumentException {
    private final String variable;

    public InvalidSetting(String variable, String problem) {
        super(variable + " " + problem);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
