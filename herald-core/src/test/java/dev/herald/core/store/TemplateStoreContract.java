package dev.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.notification.Channel;
import dev.herald.core.template.Template;
import dev.herald.core.template.TemplateSet;
import dev.herald.core.template.TemplateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link TemplateStore} must do. Keys carry the run id: PostgreSQL schemas are shared per class. */
public abstract class TemplateStoreContract extends PortContract {
    private TemplateStore templates() {
        return storage.templates();
    }

    private String key(String name) {
        return name + "-" + run;
    }

    private static Template draft(String key, Channel channel, String locale, String body) {
        return Template.draft(key, channel, locale, "Subject " + body, body, channel == Channel.EMAIL ? "<p>" + body + "</p>" : null,
                List.of("name", "count"));
    }

    @Test
    void keepsEveryFieldOfAVariantAndNumbersItRevisionOne() {
        Template d = draft(key("welcome"), Channel.EMAIL, "fr-CA", "Bonjour {{ name }}");

        Template stored = templates().create(d, now());

        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.updatedAt()).isEqualTo(now());
        assertThat(templates().find(d.key(), Channel.EMAIL, "fr-CA", Long.MAX_VALUE)).contains(stored);
        assertThat(templates().snapshot(d.key())).isEqualTo(new TemplateSet(d.key(), 1, List.of(stored)));
    }

    @Test
    void answersNothingForAnUnknownKey() {
        assertThat(templates().snapshot(key("nothing"))).isEqualTo(new TemplateSet(key("nothing"), 0, List.of()));
        assertThat(templates().find(key("nothing"), Channel.SMS, Template.DEFAULT_LOCALE, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void refusesASecondCreateOfTheSameVariantWithConflict() {
        templates().create(draft(key("dup"), Channel.SMS, "default", "one"), now());

        assertThatThrownBy(() -> templates().create(draft(key("dup"), Channel.SMS, "default", "two"), now()))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        templates().create(draft(key("dup"), Channel.SMS, "fr", "deux"), now());
        templates().create(draft(key("dup"), Channel.PUSH, "default", "push"), now());
        assertThat(templates().snapshot(key("dup")).variants()).hasSize(3);
    }

    @Test
    void refusesAnUpdateOfAMissingVariantWithNotFound() {
        assertThatThrownBy(() -> templates().update(draft(key("ghost"), Channel.SMS, "default", "x"), now()))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void everyChangeOfAKeyIsOneNewRevisionAndOldRevisionsStayReadable() {
        String k = key("order");
        Template v1 = templates().create(draft(k, Channel.EMAIL, "default", "first"), now());
        clock.advance(Duration.ofSeconds(1));
        Template sms = templates().create(draft(k, Channel.SMS, "default", "sms"), now());
        clock.advance(Duration.ofSeconds(1));
        Template v3 = templates().update(draft(k, Channel.EMAIL, "default", "second"), now());

        assertThat(List.of(v1.version(), sms.version(), v3.version())).containsExactly(1L, 2L, 3L);
        assertThat(templates().find(k, Channel.EMAIL, "default", 1)).contains(v1);
        assertThat(templates().find(k, Channel.EMAIL, "default", 2)).contains(v1);
        assertThat(templates().find(k, Channel.EMAIL, "default", 3)).contains(v3);
        assertThat(templates().find(k, Channel.SMS, "default", 1)).isEmpty();
        assertThat(templates().snapshot(k)).isEqualTo(new TemplateSet(k, 3, List.of(v3, sms)));
    }

    @Test
    void aDeletionIsARevisionTooAndTheDeletedVariantCanBeCreatedAgain() {
        String k = key("gone");
        Template email = templates().create(draft(k, Channel.EMAIL, "default", "e"), now());
        Template sms = templates().create(draft(k, Channel.SMS, "default", "s"), now());

        assertThat(templates().delete(k, Channel.EMAIL, null, now())).isEqualTo(1);
        assertThat(templates().delete(k, Channel.EMAIL, null, now())).isZero();

        assertThat(templates().snapshot(k)).isEqualTo(new TemplateSet(k, 3, List.of(sms)));
        assertThat(templates().find(k, Channel.EMAIL, "default", 2)).contains(email);
        assertThat(templates().find(k, Channel.EMAIL, "default", 3)).isEmpty();
        assertThat(templates().create(draft(k, Channel.EMAIL, "default", "again"), now()).version()).isEqualTo(4);
        assertThat(templates().delete(k, null, null, now())).isEqualTo(2);
        assertThat(templates().snapshot(k)).isEqualTo(new TemplateSet(k, 5, List.of()));
    }

    @Test
    void deletesOnlyTheLocaleNamed() {
        String k = key("loc");
        templates().create(draft(k, Channel.SMS, "default", "hi"), now());
        Template fr = templates().create(draft(k, Channel.SMS, "fr", "salut"), now());

        assertThat(templates().delete(k, Channel.SMS, "default", now())).isEqualTo(1);

        assertThat(templates().snapshot(k).variants()).containsExactly(fr);
    }

    @Test
    void listsCurrentVariantsByKeyChannelAndLocale() {
        Template b = templates().create(draft(key("b"), Channel.SMS, "default", "b"), now());
        Template aSms = templates().create(draft(key("a"), Channel.SMS, "fr", "a"), now());
        Template aEmail = templates().create(draft(key("a"), Channel.EMAIL, "default", "a"), now());
        Template aSmsDefault = templates().create(draft(key("a"), Channel.SMS, "default", "a"), now());
        templates().update(draft(key("b"), Channel.SMS, "default", "b2"), now());

        List<Template> mine = templates().list().stream().filter(t -> t.key().endsWith(run)).toList();

        assertThat(mine).extracting(Template::body).containsExactly("a", "a", "a", "b2");
        assertThat(mine.subList(0, 3)).containsExactly(aEmail, aSmsDefault, aSms);
        assertThat(mine.get(3).version()).isEqualTo(b.version() + 1);
    }

    @Test
    void concurrentWritersOfOneKeyGetDistinctRevisions() throws Exception {
        String k = key("race");
        List<Callable<Long>> writers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String locale = "l" + (char) ('a' + i) + "-x";
            writers.add(() -> templates().create(Template.draft(k, Channel.SMS, locale.substring(0, 2), null, "b", null, null),
                    now()).version());
        }
        List<Long> versions = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Long> f : pool.invokeAll(writers)) versions.add(f.get());
        }

        assertThat(versions).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(templates().snapshot(k).revision()).isEqualTo(8);
    }
}
