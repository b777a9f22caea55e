package dev.herald.server;

import dev.herald.server.config.ConfigException;
import dev.herald.server.config.Env;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code herald} command line: serve, config, token, send, migrate, doctor. */
@Command(name = "herald", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Herald, a self-hosted real-time notification server.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args, Env.load(System.getenv(), Path.of(".env"))));
    }

    static int run(String[] args, Env env) {
        CommandLine cli = new CommandLine(new Main())
                .addSubcommand(new ServeCommand(env))
                .addSubcommand(new ConfigCommand(env))
                .addSubcommand(new TokenCommand(env))
                .addSubcommand(new SendCommand(env))
                .addSubcommand(new MigrateCommand(env))
                .addSubcommand(new DoctorCommand(env))
                .addSubcommand(new TrainCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException) {
                cmd.getErr().println("herald: configuration error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"herald " + (v == null ? "dev" : v)};
        }
    }
}
