package dev.herald.server;

import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import dev.herald.server.config.Setting;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code herald config}: the effective configuration, validated, with secrets masked. */
@Command(name = "config", description = "Print the effective configuration (secrets masked) and check it.")
final class ConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final Env env;

    ConfigCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        HeraldConfig.from(env); // validates: a bad value fails here, naming the variable
        int width = Setting.ALL.stream().mapToInt(s -> s.name().length()).max().orElse(10);
        for (Setting s : Setting.ALL) {
            String value = env.get(s.name()).map(s::display).orElse(s.fallback() + " (default)");
            out.printf("%-" + width + "s  %s%n", s.name(), value);
        }
        out.flush();
        return 0;
    }
}
