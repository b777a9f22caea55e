package dev.herald.channels.push.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.channels.push.Pem;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Objects;

/**
 * A Google service account, from the JSON file the Firebase console downloads: the project to send
 * for, the account's e-mail (the assertion's issuer) and its RSA key. {@code toString()} hides the key.
 */
public record ServiceAccount(String projectId, String clientEmail, String privateKeyId, RSAPrivateKey privateKey) {
    public ServiceAccount {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(clientEmail, "clientEmail");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** Reads the JSON text; throws IllegalArgumentException naming the missing or bad field. */
    public static ServiceAccount parse(String json) {
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("is not JSON");
        }
        if (node == null || !node.isObject()) throw new IllegalArgumentException("is not a JSON object");
        if (!"service_account".equals(node.path("type").asText())) throw new IllegalArgumentException("is not a service account (type must be service_account)");
        String project = text(node, "project_id");
        String email = text(node, "client_email");
        PrivateKey key = Pem.privateKey(text(node, "private_key"), "RSA");
        String keyId = node.path("private_key_id").isTextual() ? node.path("private_key_id").asText() : null;
        return new ServiceAccount(project, email, keyId, (RSAPrivateKey) key);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isTextual() || v.asText().isBlank()) throw new IllegalArgumentException("has no " + field);
        return v.asText();
    }

    @Override
    public String toString() {
        return "ServiceAccount[" + projectId + ", " + clientEmail + "]";
    }
}
