package dev.herald.server.config;

/** A configuration value Herald cannot start with; the message names the variable. */
public final class ConfigException extends RuntimeException {
    private final String variable;

    public ConfigException(String variable, String problem) {
        super(variable + " " + problem, null, false, false);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
