package dev.herald.bench.scenario;

import java.nio.file.Path;

/**
 * What only the {@code emails} and {@code push} scenarios read.
 *
 * @param smtpPort       emails: the port of the server's {@code SMTP_URL}, where the SMTP sink listens
 * @param fcmPort        push: the port of the server's {@code FCM_BASE_URL} and {@code FCM_TOKEN_URL}
 * @param serviceAccount push: the server's {@code FCM_SERVICE_ACCOUNT_FILE}, whose key the grants are checked against
 * @param template       the creates' template key (its variables {@code title} and {@code message}),
 *                       or null for none (the plain renderer: subject = title, text = message)
 */
public record ChannelSettings(int smtpPort, int fcmPort, Path serviceAccount, String template) {
    public static final ChannelSettings NONE = new ChannelSettings(0, 0, null, null);
}
