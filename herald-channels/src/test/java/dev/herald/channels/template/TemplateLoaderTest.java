package dev.herald.channels.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.Json;
import dev.herald.core.memory.MemoryTemplateStore;
import dev.herald.core.notification.Channel;
import dev.herald.core.template.Template;
import dev.herald.core.template.TemplateRenderer.Rendered;
import dev.herald.core.template.Templates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateLoaderTest {
    private final MemoryTemplateStore store = new MemoryTemplateStore();
    private final Templates templates = new Templates(store, new PebbleTemplateRenderer());
    private final TemplateLoader loader = new TemplateLoader(templates, Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC));

    @TempDir
    Path dir;

    @Test
    void shipsAGenericNotificationPerChannelTheDigestAndTheTransactionEmail() {
        assertThat(loader.loadStarters()).isEqualTo(11);

        assertThat(store.snapshot("notification").variants()).extracting(Template::channel)
                .containsExactly(Channel.IN_APP, Channel.EMAIL, Channel.PUSH, Channel.SMS, Channel.WEBHOOK);
        assertThat(store.snapshot("digest").variants()).hasSize(5);
        assertThat(store.snapshot("transaction-confirmation").variants().getFirst().variables())
                .containsExactly("Title", "Greeting", "Amount", "Currency", "TransactionID", "Status");
    }

    @Test
    void theTransactionEmailRendersSeed004sFieldsEscapedInHtml() {
        loader.loadStarters();
        Template t = store.find("transaction-confirmation", Channel.EMAIL, "default", Long.MAX_VALUE).orElseThrow();

        Rendered r = templates.render(t, Json.parse("{\"Title\":\"Payment received\",\"Greeting\":\"Hello\","
                + "\"Amount\":\"1,250.00\",\"Currency\":\"EUR\",\"TransactionID\":\"<script>x</script>\",\"Status\":\"completed\"}", "t"));

        assertThat(r.subject()).isEqualTo("Payment received: 1,250.00 EUR");
        assertThat(r.body()).contains("Transaction ID: <script>x</script>").contains("Status: completed");
        assertThat(r.html()).contains("<h1>Payment received</h1>").contains("&lt;script&gt;x&lt;/script&gt;")
                .doesNotContain("<script>");
    }

    @Test
    void startersNeverComeBackOverAnEditOrADeletion() {
        loader.loadStarters();
        store.update(Template.draft("notification", Channel.SMS, null, null, "mine {{ title }}", null, List.of("title")), Instant.now());
        store.delete("digest", null, null, Instant.now());

        assertThat(loader.loadStarters()).isZero();

        assertThat(store.find("notification", Channel.SMS, "default", Long.MAX_VALUE).orElseThrow().body()).isEqualTo("mine {{ title }}");
        assertThat(store.snapshot("digest").variants()).isEmpty();
    }

    @Test
    void aFolderCreatesThenUpdatesOnlyWhatChanged() throws Exception {
        Files.createDirectories(dir.resolve("welcome"));
        Files.writeString(dir.resolve("welcome/email.json"), "{\"subject\":\"Hi {{ name }}\",\"body\":\"Welcome\",\"variables\":[\"name\"]}");
        Files.writeString(dir.resolve("welcome/email.html"), "<p>Welcome {{ name }}</p>");
        Files.writeString(dir.resolve("welcome/sms.fr-CA.json"), "{\"body\":\"Bienvenue\"}");

        assertThat(loader.loadDirectory(dir)).isEqualTo(new TemplateLoader.Loaded(2, 0, 0));
        Files.writeString(dir.resolve("welcome/sms.fr-CA.json"), "{\"body\":\"Bienvenue !\"}");
        assertThat(loader.loadDirectory(dir)).isEqualTo(new TemplateLoader.Loaded(0, 1, 1));

        Template email = store.find("welcome", Channel.EMAIL, "default", Long.MAX_VALUE).orElseThrow();
        assertThat(email.html()).isEqualTo("<p>Welcome {{ name }}</p>");
        assertThat(email.variables()).containsExactly("name");
        assertThat(store.find("welcome", Channel.SMS, "fr-CA", Long.MAX_VALUE).orElseThrow().body()).isEqualTo("Bienvenue !");
        assertThat(store.snapshot("welcome").revision()).isEqualTo(3);
    }

    @Test
    void aBrokenFileStopsTheLoadNamingIt() throws Exception {
        Files.createDirectories(dir.resolve("bad"));
        Files.writeString(dir.resolve("bad/pigeon.json"), "{\"body\":\"x\"}");
        assertThatThrownBy(() -> loader.loadDirectory(dir)).hasMessageContaining("bad/pigeon.json").hasMessageContaining("unknown channel");

        Files.delete(dir.resolve("bad/pigeon.json"));
        Files.writeString(dir.resolve("bad/sms.json"), "{\"body\":\"{% if x %}open\"}");
        assertThatThrownBy(() -> loader.loadDirectory(dir)).hasMessageContaining("template bad (sms, default)");
        assertThat(store.list()).isEmpty();
    }
}
