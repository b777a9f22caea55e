package dev.herald.channels.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.deliver.dispatch.OutboundMessage;
import dev.herald.core.deliver.dispatch.PlainRenderer;
import dev.herald.core.memory.MemoryTemplateStore;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.CreateNotification.TemplateRef;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Priority;
import dev.herald.core.template.Template;
import dev.herald.core.template.TemplateCheck;
import dev.herald.core.template.Templates;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateMessageRendererTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final MemoryTemplateStore store = new MemoryTemplateStore();
    private final Templates templates = new Templates(store, new PebbleTemplateRenderer());
    private final TemplateMessageRenderer renderer = new TemplateMessageRenderer(templates, new PlainRenderer());

    private Template add(String key, Channel channel, String locale, String subject, String body, String html, String... vars) {
        return store.create(Template.draft(key, channel, locale, subject, body, html, List.of(vars)), T0);
    }

    private static Contact contact(String locale) {
        return new Contact("u1", "u1@example.org", "+33600000000", locale, null, null);
    }

    private static Delivery delivery(Channel channel, String digestKey, String payload) {
        return new Delivery("d-" + payload.hashCode(), new Delivery.Target("n1", "u1", "comment", channel, Priority.MEDIUM,
                Delivery.Kind.STANDARD, digestKey), new Delivery.State(DeliveryStatus.PENDING, null, 0, T0, null, T0), payload, T0);
    }

    private static String payload(String title, String templateJson) {
        return "{\"notification\":{\"id\":\"n1\",\"type\":\"comment\",\"title\":\"" + title + "\",\"message\":\"m\"}"
                + (templateJson == null ? "" : ",\"template\":" + templateJson) + "}";
    }

    private void greetings() {
        add("greet", Channel.EMAIL, null, "Hello {{ name }}", "Hello {{ name }}", "<b>Hello {{ name }}</b>", "name");
        add("greet", Channel.EMAIL, "fr", "Bonjour {{ name }}", "Bonjour {{ name }}", "<b>Bonjour {{ name }}</b>", "name");
        add("greet", Channel.EMAIL, "fr-BE", "Salut {{ name }}", "Salut {{ name }}", null, "name");
    }

    @Test
    void aFrenchCanadianGetsTheFrenchVariantAndAnUnknownLanguageTheDefault() {
        greetings();
        String p = payload("t", "{\"key\":\"greet\",\"variables\":{\"name\":\"Zoé\"},\"version\":3}");

        OutboundMessage.Content fr = renderer.render(Channel.EMAIL, List.of(delivery(Channel.EMAIL, null, p)), contact("fr-CA"));
        OutboundMessage.Content be = renderer.render(Channel.EMAIL, List.of(delivery(Channel.EMAIL, null, p)), contact("fr-BE"));
        OutboundMessage.Content ja = renderer.render(Channel.EMAIL, List.of(delivery(Channel.EMAIL, null, p)), contact("ja"));

        assertThat(fr.subject()).isEqualTo("Bonjour Zoé");
        assertThat(fr.html()).isEqualTo("<b>Bonjour Zoé</b>");
        assertThat(be.subject()).isEqualTo("Salut Zoé");
        assertThat(ja.text()).isEqualTo("Hello Zoé");
        assertThat(Json.parse(fr.json(), "json").path("title").asText()).isEqualTo("t");
    }

    @Test
    void aKeyWithOnlyAFrenchVariantSendsItToEveryone() {
        add("fr-only", Channel.SMS, "fr", null, "Bonjour {{ name }}", null, "name");
        String p = payload("t", "{\"key\":\"fr-only\",\"variables\":{\"name\":\"Ann\"},\"version\":1}");

        assertThat(renderer.render(Channel.SMS, List.of(delivery(Channel.SMS, null, p)), contact("en-US")).text())
                .isEqualTo("Bonjour Ann");
    }

    @Test
    void theCreatesLocaleServesWhenTheContactHasNone() {
        greetings();
        String p = payload("t", "{\"key\":\"greet\",\"variables\":{\"name\":\"Zoé\"},\"locale\":\"fr\",\"version\":3}");

        assertThat(renderer.render(Channel.EMAIL, List.of(delivery(Channel.EMAIL, null, p)), contact(null)).subject())
                .isEqualTo("Bonjour Zoé");
    }

    @Test
    void rendersTheRevisionTheNotificationRecordedNotALaterEdit() {
        add("order", Channel.SMS, null, null, "v1 {{ id }}", null, "id");
        store.update(Template.draft("order", Channel.SMS, null, null, "v2 {{ id }}", null, List.of("id")), T0);
        String p = payload("t", "{\"key\":\"order\",\"variables\":{\"id\":7},\"version\":1}");

        assertThat(renderer.render(Channel.SMS, List.of(delivery(Channel.SMS, null, p)), contact("en")).text()).isEqualTo("v1 7");
    }

    @Test
    void aNotificationWithoutTemplateStaysPlain() {
        OutboundMessage.Content c = renderer.render(Channel.SMS, List.of(delivery(Channel.SMS, null, payload("Plain title", null))),
                contact("fr"));

        assertThat(c.subject()).isEqualTo("Plain title");
        assertThat(c.text()).isEqualTo("m");
    }

    @Test
    void aDigestRendersTheDigestTemplateWithPlurals() {
        add("digest", Channel.EMAIL, "fr", "{count, plural, one {# nouvelle notification} other {# nouvelles notifications}}",
                "{% for n in notifications %}- {{ n.title }}\n{% endfor %}", "<ul>{% for n in notifications %}<li>{{ n.title }}</li>{% endfor %}</ul>");
        List<Delivery> rows = List.of(delivery(Channel.EMAIL, "daily:x", payload("A <b>", null)),
                delivery(Channel.EMAIL, "daily:x", payload("B", null)));

        OutboundMessage.Content c = renderer.render(Channel.EMAIL, rows, contact("fr-CA"));

        assertThat(c.subject()).isEqualTo("2 nouvelles notifications");
        assertThat(c.text()).isEqualTo("- A <b>\n- B\n");
        assertThat(c.html()).isEqualTo("<ul><li>A &lt;b&gt;</li><li>B</li></ul>");
        assertThat(Json.parse(c.json(), "json").path("count").asInt()).isEqualTo(2);
    }

    @Test
    void aDigestWithNoDigestTemplateForTheChannelStaysPlain() {
        List<Delivery> rows = List.of(delivery(Channel.SMS, "daily:x", payload("A", null)), delivery(Channel.SMS, "daily:x", payload("B", null)));

        assertThat(renderer.render(Channel.SMS, rows, contact("en")).subject()).isEqualTo("2 new notifications");
    }

    @Test
    void theCheckRefusesAMissingTemplateAChannelWithoutVariantAndAMissingVariable() {
        greetings();
        JsonNode vars = Json.parse("{\"name\":\"Zoé\"}", "test");

        assertThat(code(() -> templates.check(new TemplateRef("nope", vars, null), Set.of(Channel.EMAIL))))
                .isEqualTo(ErrorCode.TEMPLATE_NOT_FOUND);
        assertThat(code(() -> templates.check(new TemplateRef("greet", vars, null), Set.of(Channel.EMAIL, Channel.SMS))))
                .isEqualTo(ErrorCode.TEMPLATE_NOT_FOUND);
        assertThatThrownBy(() -> templates.check(new TemplateRef("greet", Json.object(), null), Set.of(Channel.EMAIL)))
                .isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TEMPLATE_VARIABLE_MISSING);
                    assertThat(e.getMessage()).contains("name");
                });
    }

    @Test
    void theCheckRendersEveryVariantSoAValueOfTheWrongShapeIsRefusedAtCreate() {
        add("count", Channel.SMS, null, null, "{n, plural, one {# item} other {# items}}", null, "n");

        assertThat(code(() -> templates.check(new TemplateRef("count", Json.parse("{\"n\":\"many\"}", "t"), null),
                Set.of(Channel.IN_APP, Channel.SMS)))).isEqualTo(ErrorCode.TEMPLATE_INVALID);
    }

    @Test
    void theCheckRecordsTheRevisionAndRendersTheInboxTextInTheCreatesLocale() {
        greetings();
        add("greet", Channel.IN_APP, "fr", "Coucou {{ name }}", "Un message pour {{ name }}", null);

        TemplateCheck.Checked c = templates.check(new TemplateRef("greet", Json.parse("{\"name\":\"Zoé\"}", "t"), "fr-CA"),
                Set.of(Channel.IN_APP, Channel.EMAIL));

        assertThat(c).isEqualTo(new TemplateCheck.Checked(4, "Coucou Zoé", "Un message pour Zoé"));
    }

    @Test
    void fallbackDropsSubtagsOneByOne() {
        assertThat(Templates.fallbacks("zh-Hant-TW", "fr_ca")).containsExactly("zh-Hant-TW", "zh-Hant", "zh", "fr-CA", "fr", "default");
        assertThat(Templates.fallbacks((String) null)).containsExactly("default");
    }

    private static ErrorCode code(Runnable r) {
        try {
            r.run();
        } catch (HeraldException e) {
            return e.code();
        }
        throw new AssertionError("not refused");
    }
}
