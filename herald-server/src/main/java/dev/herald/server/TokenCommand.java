package dev.herald.server;

import dev.herald.api.auth.TokenIssuer;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code herald token}: a development JWT signed with the server's HS256 secret (JWT_SECRET or the
 * generated one in the data directory), as seed 002 ships a token generator.
 */
@Command(name = "token", description = "Print a development JWT signed with the configured HS256 secret.")
final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--user", required = true, description = "user id (user_id and sub claims)")
    String user;

    @Option(names = "--team", description = "team id (team_id claim)")
    String team;

    @Option(names = "--roles", split = ",", description = "roles, comma-separated (e.g. admin,service)")
    List<String> roles = List.of();

    @Option(names = "--groups", split = ",", description = "groups, comma-separated")
    List<String> groups = List.of();

    @Option(names = "--email", description = "email claim")
    String email;

    @Option(names = "--ttl", defaultValue = "1h", description = "lifetime: 30s, 15m, 1h, 7d (default ${DEFAULT-VALUE})")
    String ttl;

    private final Env env;

    TokenCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        HeraldConfig config = HeraldConfig.from(env);
        Duration lifetime = parseTtl(ttl);
        Duration max = config.auth().tokens().maxLifetime();
        if (!max.isZero() && lifetime.compareTo(max) > 0) {
            // A token the server would refuse is no use to anyone: say so here, not at connect time.
            throw new ParameterException(spec.commandLine(), "--ttl " + ttl + " is longer than JWT_MAX_LIFETIME_SECONDS ("
                    + max.toSeconds() + " s); the server would refuse the token");
        }
        TokenIssuer issuer = new TokenIssuer(Wiring.jwtConfig(config), Clock.systemUTC());
        spec.commandLine().getOut().println(issuer.issue(user, team, roles, groups, email, lifetime));
        spec.commandLine().getOut().flush();
        // On stderr, so TOKEN=$(herald token …) still captures the token alone.
        boolean tls = config.security().tls().isPresent();
        String host = "localhost:" + config.network().clientPort();
        spec.commandLine().getErr().println("connect: io(\"" + (tls ? "https" : "http") + "://" + host + "\", { auth: { token } })"
                + " or " + (tls ? "wss" : "ws") + "://" + host + "/ws?token=<token>" + (tls ? " (TLS_CERT_FILE's certificate must be trusted)" : ""));
        spec.commandLine().getErr().flush();
        return 0;
    }

    private Duration parseTtl(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("\\d+[smhd]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--ttl must look like 30s, 15m, 1h or 7d, got '" + text + "'");
        }
    }
}
