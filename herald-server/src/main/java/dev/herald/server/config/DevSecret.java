package dev.herald.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;


/**
 * The HS256 secret when JWT_SECRET is unset: generated once into {@code HERALD_DATA_DIR/jwt-secret}
 * (owner-only permissions) so `herald serve` needs no setup and `herald token` signs with the same
 * key. Production deployments set JWT_SECRET or JWT_JWKS_URL.
 */
public final class DevSecret {
    private DevSecret() {}

    public static byte[] resolve(HeraldConfig.Auth auth, Path dataDir) {
        if (auth.jwtSecret().isPresent()) return auth.jwtSecret().get().value().getBytes(StandardCharsets.UTF_8);
        Path file = dataDir.resolve("jwt-secret");
        try {
            if (Files.isRegularFile(file)) {
                String existing = Files.readString(file).strip();
                if (existing.length() >= 43) return existing.getBytes(StandardCharsets.UTF_8);
            }
            Files.createDirectories(dataDir);
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(file, secret + "\n", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system: the folder's own permissions protect it.
            }
            return secret.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("HERALD_DATA_DIR", "is not writable for the generated JWT secret (" + file + "): " + e.getMessage());
        }
    }

}
