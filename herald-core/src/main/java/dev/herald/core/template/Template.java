package dev.herald.core.template;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.notification.Channel;
import java.time.Instant;
import java.util.Comparator;
import java.util.IllformedLocaleException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One variant of a template: a key (what the notification is, e.g. {@code comment}) for one
 * delivery channel in one locale (DESIGN §5). {@code subject} and {@code body} are Pebble text
 * with ICU plural/select blocks; {@code html} is the email's HTML part (null elsewhere or when the
 * email is text only). {@code variables} are the names a create must give: the render of any
 * other variable is empty.
 *
 * <p>{@code version} is the key's revision at which this variant was last written: every change to
 * any variant of a key (create, update, delete) is one new revision of the key, so a notification
 * records one number and renders, later, exactly the variants that were current then.
 *
 * @param locale a BCP 47 tag in canonical form ({@code fr-CA}), or {@link #DEFAULT_LOCALE}
 * @param version 0 in a draft (not yet stored)
 * @param updatedAt when this version was written; null in a draft
 */
public record Template(String key, Channel channel, String locale, String subject, String body, String html,
                       List<String> variables, long version, Instant updatedAt) {
    /** The variant used when no variant matches the recipient's language. */
    public static final String DEFAULT_LOCALE = "default";
    public static final int MAX_TEXT = 100_000;
    /** The order of listings: key, then channel (in {@link Channel} order), then locale. */
    public static final Comparator<Template> ORDER = Comparator.comparing(Template::key)
            .thenComparing(t -> t.channel().ordinal()).thenComparing(Template::locale);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:\\-]{1,100}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    public Template {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(locale, "locale");
        subject = subject == null ? "" : subject;
        body = body == null ? "" : body;
        html = html == null || html.isEmpty() ? null : html;
        variables = variables == null ? List.of() : List.copyOf(new LinkedHashSet<>(variables));
    }

    /** A variant not yet stored, checked field by field (a refusal names the field). */
    public static Template draft(String key, Channel channel, String locale, String subject, String body, String html,
                                 List<String> variables) {
        if (key == null || !KEY.matcher(key).matches()) throw invalid("key", "1-100 letters, digits or _ . : -");
        Objects.requireNonNull(channel, "channel");
        if (body == null || body.isBlank()) throw invalid("body", "required");
        check("subject", subject);
        check("body", body);
        check("html", html);
        if (html != null && !html.isEmpty() && channel != Channel.EMAIL) throw invalid("html", "only an email template has an html part");
        if (variables != null) {
            if (variables.size() > 100) throw invalid("variables", "at most 100 names");
            for (String v : variables) {
                if (v == null || !VARIABLE.matcher(v).matches()) {
                    throw invalid("variables", "each a name of letters, digits or _ (not starting with a digit)");
                }
            }
        }
        return new Template(key, channel, canonicalLocale(locale), subject, body, html, variables, 0, null);
    }

    private static void check(String field, String text) {
        if (text != null && text.length() > MAX_TEXT) throw invalid(field, "at most " + MAX_TEXT + " characters");
    }

    /** {@code fr_ca}, {@code fr-ca} → {@code fr-CA}; null, blank or {@code default} → {@link #DEFAULT_LOCALE}. */
    public static String canonicalLocale(String tag) {
        if (tag == null || tag.isBlank() || tag.equalsIgnoreCase(DEFAULT_LOCALE)) return DEFAULT_LOCALE;
        if (tag.length() > 35) throw invalid("locale", "a BCP 47 language tag such as fr-CA");
        try {
            Locale l = new Locale.Builder().setLanguageTag(tag.strip().replace('_', '-')).build();
            if (l.getLanguage().isEmpty()) throw invalid("locale", "a BCP 47 language tag such as fr-CA");
            return l.toLanguageTag();
        } catch (IllformedLocaleException e) {
            throw invalid("locale", "a BCP 47 language tag such as fr-CA");
        }
    }

    /** The same content as a stored version. */
    public Template stored(long newVersion, Instant at) {
        return new Template(key, channel, locale, subject, body, html, variables, newVersion, at);
    }

    /** Whether {@code other} says the same thing (versions and times aside). */
    public boolean sameContent(Template other) {
        return key.equals(other.key) && channel == other.channel && locale.equals(other.locale)
                && subject.equals(other.subject) && body.equals(other.body) && Objects.equals(html, other.html)
                && variables.equals(other.variables);
    }

    /** The refusal of a create whose variant exists. */
    public HeraldException conflict() {
        return new HeraldException(ErrorCode.CONFLICT, "template '" + key + "' already has a " + channel.wire()
                + " variant for locale " + locale + " (update it with PUT)");
    }

    /** The refusal of an update of a variant that does not exist. */
    public HeraldException notFound() {
        return new HeraldException(ErrorCode.NOT_FOUND, "template '" + key + "' has no " + channel.wire()
                + " variant for locale " + locale);
    }

    private static HeraldException invalid(String field, String why) {
        return new HeraldException(ErrorCode.INVALID_ARGUMENT, field + ": " + why);
    }
}
