package dev.herald.channels.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import dev.herald.core.notification.Channel;
import dev.herald.core.template.RenderFailure;
import dev.herald.core.template.Template;
import dev.herald.core.template.TemplateRenderer.Rendered;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class PebbleTemplateRendererTest {
    private final PebbleTemplateRenderer renderer = new PebbleTemplateRenderer();

    private static Template sms(String body) {
        return Template.draft("t", Channel.SMS, null, null, body, null, List.of());
    }

    private String body(String template, Locale locale, Object count) {
        JsonNode vars = Json.parse("{\"count\": " + count + "}", "test");
        return renderer.render(sms(template), vars, locale).body();
    }

    @Test
    void englishHasOneAndOther() {
        String t = "{count, plural, one {# new comment} other {# new comments}}";
        assertThat(body(t, Locale.ENGLISH, 1)).isEqualTo("1 new comment");
        assertThat(body(t, Locale.ENGLISH, 0)).isEqualTo("0 new comments");
        assertThat(body(t, Locale.ENGLISH, 3)).isEqualTo("3 new comments");
    }

    @Test
    void frenchPutsZeroWithOne() {
        String t = "{count, plural, one {# nouveau commentaire} other {# nouveaux commentaires}}";
        assertThat(body(t, Locale.FRENCH, 0)).isEqualTo("0 nouveau commentaire");
        assertThat(body(t, Locale.FRENCH, 1)).isEqualTo("1 nouveau commentaire");
        assertThat(body(t, Locale.FRENCH, 2)).isEqualTo("2 nouveaux commentaires");
    }

    @Test
    void polishHasOneFewAndMany() {
        String t = "{count, plural, one {# komentarz} few {# komentarze} many {# komentarzy} other {# komentarza}}";
        Locale pl = Locale.forLanguageTag("pl");
        assertThat(body(t, pl, 1)).isEqualTo("1 komentarz");
        assertThat(body(t, pl, 3)).isEqualTo("3 komentarze");
        assertThat(body(t, pl, 22)).isEqualTo("22 komentarze");
        assertThat(body(t, pl, 5)).isEqualTo("5 komentarzy");
        assertThat(body(t, pl, 12)).isEqualTo("12 komentarzy");
        assertThat(body(t, pl, 1.5)).isEqualTo("1,5 komentarza");
    }

    @Test
    void arabicHasSixCategories() {
        String t = "{count, plural, zero {zero} one {one} two {two} few {few} many {many} other {other}}";
        Locale ar = Locale.forLanguageTag("ar");
        assertThat(body(t, ar, 0)).isEqualTo("zero");
        assertThat(body(t, ar, 1)).isEqualTo("one");
        assertThat(body(t, ar, 2)).isEqualTo("two");
        assertThat(body(t, ar, 7)).isEqualTo("few");
        assertThat(body(t, ar, 11)).isEqualTo("many");
        assertThat(body(t, ar, 100)).isEqualTo("other");
    }

    @Test
    void selectsAndPebbleMixInOneTemplate() {
        Template t = Template.draft("t", Channel.PUSH, null, "{{ actor }} {gender, select, female {liked her} male {liked his} other {liked their}} photo",
                "{% for n in items %}{{ n.name }};{% endfor %}", null, List.of());
        JsonNode vars = Json.parse("{\"actor\":\"Ada\",\"gender\":\"female\",\"items\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", "test");

        Rendered r = renderer.render(t, vars, Locale.ENGLISH);

        assertThat(r.subject()).isEqualTo("Ada liked her photo");
        assertThat(r.body()).isEqualTo("a;b;");
        assertThat(r.html()).isNull();
    }

    @Test
    void escapesAScriptInHtmlButNotInText() {
        Template t = Template.draft("t", Channel.EMAIL, null, "Hi {{ name }}", "Hi {{ name }}", "<p>Hi {{ name }}</p>", List.of("name"));
        JsonNode vars = Json.parse("{\"name\":\"<script>alert(1)</script>\"}", "test");

        Rendered r = renderer.render(t, vars, Locale.ENGLISH);

        assertThat(r.html()).isEqualTo("<p>Hi &lt;script&gt;alert(1)&lt;/script&gt;</p>");
        assertThat(r.body()).isEqualTo("Hi <script>alert(1)</script>");
        assertThat(r.subject()).isEqualTo("Hi <script>alert(1)</script>");
    }

    @Test
    void anUndeclaredVariableRendersEmpty() {
        assertThat(renderer.render(sms("a{{ missing }}b"), null, Locale.ENGLISH).body()).isEqualTo("ab");
    }

    @Test
    void refusesABrokenTemplateNamingThePart() {
        assertThatThrownBy(() -> renderer.check(sms("{% if x %}never closed")))
                .isInstanceOf(RenderFailure.class).hasMessageStartingWith("body: ");
        assertThatThrownBy(() -> renderer.check(sms("{count, plural, one {x} other {y}")))
                .isInstanceOf(RenderFailure.class).hasMessageContaining("not closed");
        assertThatThrownBy(() -> renderer.check(sms("{count, plural, one {x}}")))
                .isInstanceOf(RenderFailure.class).hasMessageStartingWith("body: ");
    }
}
