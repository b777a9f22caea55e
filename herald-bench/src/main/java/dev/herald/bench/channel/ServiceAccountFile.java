package dev.herald.bench.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * A Google service-account JSON file for the {@code push} scenario, shaped as the Firebase console
 * writes it ({@code type}, {@code project_id}, {@code private_key_id}, {@code private_key} PKCS#8
 * PEM, {@code client_email}): bench/run.sh makes one per run ({@code java -cp herald-bench.jar
 * dev.herald.bench.channel.ServiceAccountFile <file>}) and hands it to Herald as
 * {@code FCM_SERVICE_ACCOUNT_FILE}; the {@link FcmStandIn} reads the same file and checks every
 * token grant against its public key.
 */
public final class ServiceAccountFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the stand-in checks a grant against. */
    public record Account(String projectId, String clientEmail, RSAPublicKey publicKey) {}

    private ServiceAccountFile() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ServiceAccountFile <file to write>");
            System.exit(2);
        }
        write(Path.of(args[0]));
    }

    /** Writes a new account with a fresh 2048-bit RSA key to {@code file} (owner-only where POSIX). */
    public static Path write(Path file) throws IOException, GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        byte[] pkcs8 = g.generateKeyPair().getPrivate().getEncoded();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
        String json = JSON.createObjectNode().put("type", "service_account").put("project_id", "herald-bench")
                .put("private_key_id", "bench-1").put("private_key", pem)
                .put("client_email", "bench@herald-bench.iam.gserviceaccount.com")
                .put("token_uri", "https://oauth2.googleapis.com/token").toString();
        Files.writeString(file, json);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file stays as created
        }
        return file;
    }

    /** The project, the issuer and the public key of the account in {@code file}. */
    public static Account read(Path file) throws IOException {
        JsonNode n = JSON.readTree(Files.readString(file));
        String pem = n.path("private_key").asText("");
        String project = n.path("project_id").asText("");
        String email = n.path("client_email").asText("");
        if (pem.isEmpty() || project.isEmpty() || email.isEmpty()) {
            throw new IllegalArgumentException(file + " is not a service-account file (private_key, project_id, client_email)");
        }
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            return new Account(project, email, pub);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException(file + ": private_key is not a PKCS#8 RSA key");
        }
    }
}
