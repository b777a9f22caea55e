package dev.herald.core.inbox;

import static dev.herald.core.inbox.Fields.absent;
import static dev.herald.core.inbox.Fields.invalid;
import static dev.herald.core.inbox.Fields.onlyFields;
import static dev.herald.core.inbox.Fields.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.Device;
import dev.herald.core.notification.WebhookUrls;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A user's contact ({@code {email, phone, locale, timezone, webhookUrl}}) and push devices
 * ({@code {platform: "fcm"|"apns", token}} or {@code {platform: "webpush", subscription: {endpoint,
 * keys: {p256dh, auth}}}}) as JSON, with their checks (DESIGN §5). A refusal is
 * {@code INVALID_ARGUMENT} naming the field. Stateless; thread-safe.
 */
public final class ContactJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> CONTACT_FIELDS = Set.of("email", "phone", "locale", "timezone", "webhookUrl");
    private static final Set<String> DEVICE_FIELDS = Set.of("platform", "token", "subscription");
    // What browsers' PushSubscription.toJSON() gives.
    private static final Set<String> SUBSCRIPTION_FIELDS = Set.of("endpoint", "expirationTime", "keys");
    private static final Set<String> KEY_FIELDS = Set.of("p256dh", "auth");
    // RFC 5322 dot-atom local part and LDH domain labels: not every address RFC 5322 allows (no
    // quoted local parts, no IP literals, no raw IDN), but every one a mail server takes as is.
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");
    private static final Pattern FCM_TOKEN = Pattern.compile("[\\x21-\\x7E]{1,4096}");
    private static final Pattern APNS_TOKEN = Pattern.compile("([0-9a-fA-F]{2}){32,100}");
    private static final int P256_POINT_BYTES = 65;
    private static final int AUTH_SECRET_BYTES = 16;

    private ContactJson() {}

    /** A whole contact (PUT): a field left out, null or empty is cleared. */
    public static Contact parseContact(String userId, JsonNode body, WebhookUrls webhookUrls) {
        if (body == null || !body.isObject()) throw invalid("contact", "must be a JSON object");
        onlyFields(body, "", CONTACT_FIELDS);
        String email = optionalText(body.get("email"), "email");
        if (email != null && (email.length() > 254 || email.indexOf('@') > 64 || !EMAIL.matcher(email).matches())) {
            throw invalid("email", "must be an address like name@example.com");
        }
        String phone = optionalText(body.get("phone"), "phone");
        if (phone != null && !E164.matcher(phone).matches()) {
            throw invalid("phone", "must be E.164: + and 8 to 15 digits, e.g. +33612345678");
        }
        String locale = optionalText(body.get("locale"), "locale");
        if (locale != null) locale = languageTag(locale);
        ZoneId zone = absent(body.get("timezone")) || body.get("timezone").asText().isEmpty()
                ? null : Fields.zone(body.get("timezone"), "timezone");
        String webhookUrl = optionalText(body.get("webhookUrl"), "webhookUrl");
        if (webhookUrl != null) webhookUrls.check("webhookUrl", webhookUrl);
        return new Contact(userId, email, phone, locale, zone, webhookUrl);
    }

    /** A well-formed BCP 47 tag with a language, in its canonical case ({@code fr-ca} → {@code fr-CA}). */
    private static String languageTag(String tag) {
        Locale l;
        try {
            l = new Locale.Builder().setLanguageTag(tag).build();
        } catch (IllformedLocaleException e) {
            throw invalid("locale", "must be a BCP 47 language tag such as en, fr-CA or zh-Hant-TW");
        }
        if (l.getLanguage().isEmpty()) throw invalid("locale", "must be a BCP 47 language tag such as en, fr-CA or zh-Hant-TW");
        return l.toLanguageTag();
    }

    /** The contact as JSON: every field, null when not given. */
    public static ObjectNode toJson(Contact c) {
        ObjectNode o = NODES.objectNode();
        o.put("email", c.email()).put("phone", c.phone()).put("locale", c.locale())
                .put("timezone", c.timezone() == null ? null : c.timezone().getId()).put("webhookUrl", c.webhookUrl());
        return o;
    }

    /** A device to register for {@code userId}, with the id and time given. */
    public static Device parseDevice(String userId, JsonNode body, String id, Instant now) {
        if (body == null || !body.isObject()) throw invalid("device", "must be a JSON object");
        onlyFields(body, "", DEVICE_FIELDS);
        JsonNode p = body.get("platform");
        Device.Platform platform = p != null && p.isTextual() ? Device.Platform.fromWire(p.textValue()) : null;
        if (platform == null) throw invalid("platform", "must be fcm, apns or webpush");
        if (platform == Device.Platform.WEBPUSH) {
            if (body.has("token")) throw invalid("token", "a webpush device takes a subscription {endpoint, keys}, not a token");
            return webPush(userId, body.get("subscription"), id, now);
        }
        if (body.has("subscription")) throw invalid("subscription", "only a webpush device takes a subscription");
        String token = optionalText(body.get("token"), "token");
        if (token == null) throw invalid("token", "required for " + platform.wire());
        if (platform == Device.Platform.FCM && !FCM_TOKEN.matcher(token).matches()) {
            throw invalid("token", "an FCM token is 1 to 4096 visible ASCII characters");
        }
        if (platform == Device.Platform.APNS) {
            if (!APNS_TOKEN.matcher(token).matches()) throw invalid("token", "an APNs device token is hexadecimal, 64 to 200 digits");
            token = token.toLowerCase(Locale.ROOT);
        }
        return new Device(id, userId, platform, token, null, null, now);
    }

    private static Device webPush(String userId, JsonNode s, String id, Instant now) {
        if (absent(s)) throw invalid("subscription", "required for webpush: {endpoint, keys: {p256dh, auth}}");
        if (!s.isObject()) throw invalid("subscription", "must be an object {endpoint, keys: {p256dh, auth}}");
        onlyFields(s, "subscription", SUBSCRIPTION_FIELDS);
        String endpoint = optionalText(s.get("endpoint"), "subscription.endpoint");
        if (endpoint == null || endpoint.length() > WebhookUrls.MAX_LENGTH || !isHttps(endpoint)) {
            throw invalid("subscription.endpoint", "must be the push service's https URL");
        }
        JsonNode keys = s.get("keys");
        if (absent(keys) || !keys.isObject()) throw invalid("subscription.keys", "required: {p256dh, auth}");
        onlyFields(keys, "subscription.keys", KEY_FIELDS);
        String p256dh = base64Url(keys.get("p256dh"), "subscription.keys.p256dh", P256_POINT_BYTES,
                "base64url of the browser's P-256 public key (65 bytes)");
        String auth = base64Url(keys.get("auth"), "subscription.keys.auth", AUTH_SECRET_BYTES,
                "base64url of the 16-byte auth secret");
        return new Device(id, userId, Device.Platform.WEBPUSH, endpoint, p256dh, auth, now);
    }

    private static boolean isHttps(String url) {
        try {
            URI uri = new URI(url);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Base64url text (padding optional) of exactly {@code bytes} bytes, returned unpadded. */
    private static String base64Url(JsonNode value, String field, int bytes, String what) {
        String text = optionalText(value, field);
        if (text == null) throw invalid(field, "required: " + what);
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw invalid(field, "must be " + what);
        }
        if (decoded.length != bytes || (bytes == P256_POINT_BYTES && decoded[0] != 0x04)) throw invalid(field, "must be " + what);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(decoded);
    }

    /** A device as JSON: {@code token}, or {@code subscription} for Web Push. */
    public static ObjectNode toJson(Device d) {
        ObjectNode o = NODES.objectNode().put("id", d.id()).put("platform", d.platform().wire());
        if (d.platform() == Device.Platform.WEBPUSH) {
            ObjectNode s = o.putObject("subscription").put("endpoint", d.token());
            s.putObject("keys").put("p256dh", d.p256dh()).put("auth", d.auth());
        } else {
            o.put("token", d.token());
        }
        return o.put("createdAt", d.createdAt().toString());
    }

    public static ArrayNode toJson(List<Device> devices) {
        ArrayNode a = NODES.arrayNode();
        devices.forEach(d -> a.add(toJson(d)));
        return a;
    }
}
