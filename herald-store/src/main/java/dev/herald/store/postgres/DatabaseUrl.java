package dev.herald.store.postgres;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where PostgreSQL is: a JDBC URL plus optional credentials. {@link #parse} reads the
 * {@code DATABASE_URL} shapes operators use: {@code postgres://user:pass@host:5432/db?sslmode=require}
 * ({@code postgresql://} too) and {@code jdbc:postgresql://host/db?user=…}. {@link #toString} hides
 * the password.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {
    public DatabaseUrl {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    }

    public static DatabaseUrl parse(String value) {
        if (value == null || value.isBlank()) throw invalid("is empty");
        String v = value.trim();
        if (v.startsWith("jdbc:postgresql:")) return new DatabaseUrl(v, null, null);
        if (!v.startsWith("postgres://") && !v.startsWith("postgresql://")) {
            throw invalid("must start with postgres://, postgresql:// or jdbc:postgresql:");
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw invalid("is not a valid URL");
        }
        if (uri.getHost() == null) throw invalid("has no host");
        String database = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "" : uri.getRawPath().substring(1);
        if (database.isEmpty()) throw invalid("has no database name");
        String user = null, password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + database
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new DatabaseUrl(jdbc, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static HeraldException invalid(String why) {
        // Never echo the value: it may hold a password.
        return new HeraldException(ErrorCode.INVALID_ARGUMENT, "DATABASE_URL " + why);
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + jdbcUrl.replaceAll("password=[^&]*", "password=***") + ", user=" + user
                + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
