package dev.herald.core.ingest.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import dev.herald.core.notification.CreateNotification;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRulesTest {
    private static JsonNode json(String text) {
        return Json.parse(text.replace('\'', '"'), "test");
    }

    private static final EventRules RULES = RulesReader.read(json("""
            {'rules': [
              {'name': 'paid', 'subject': 'events.payment.completed', 'when': {'field': '/status', 'equals': 'completed'},
               'recipients': {'from': ['/payer/userId']},
               'notification': {'type': 'payment.completed', 'priority': 'high', 'channels': ['email', 'inApp'],
                                'title': 'Paid {/amount} {/currency}', 'message': 'to {/payee/name}{/missing}',
                                'data': {'paymentId': '/paymentId'}}},
              {'name': 'alert', 'subject': 'events.compliance.*', 'when': {'field': '/severity', 'in': ['high', 'critical']},
               'recipients': {'from': ['/watchers'], 'users': ['officer']},
               'notification': {'type': 'compliance.alert', 'title': 'Alert', 'template': 'alert', 'variables': {'kind': '/kind'}}},
              {'name': 'all-events', 'subject': 'events.>', 'recipients': {'users': ['auditor']},
               'notification': {'type': 'audit', 'message': 'event'}}
            ]}"""));

    @Test
    void aPaymentEventBecomesTheRulesNotificationToThePayer() {
        JsonNode event = json("{'paymentId': 'p-1', 'status': 'completed', 'amount': 12.5, 'currency': 'EUR',"
                + " 'payer': {'userId': 'ann'}, 'payee': {'name': 'Bob'}}");

        List<EventRules.Match> matches = RULES.apply("events.payment.completed", event, "msg-1", "rules");

        assertThat(matches).extracting(m -> m.rule().name()).containsExactly("paid", "all-events");
        CreateNotification paid = matches.getFirst().request();
        assertThat(paid.recipients()).containsExactly("ann");
        assertThat(paid.type()).isEqualTo("payment.completed");
        assertThat(paid.priority()).isEqualTo("high");
        assertThat(paid.title()).isEqualTo("Paid 12.5 EUR");
        assertThat(paid.message()).isEqualTo("to Bob");
        assertThat(paid.routing().channels()).containsExactly("email", "inApp");
        assertThat(paid.data().toString()).isEqualTo("{\"paymentId\":\"p-1\"}");
        assertThat(paid.idempotencyKey()).isEqualTo("paid:msg-1");
        assertThat(matches.get(1).request().idempotencyKey()).isEqualTo("all-events:msg-1");
    }

    @Test
    void theWhenFilterLeavesOtherEventsToTheOtherRules() {
        JsonNode pending = json("{'status': 'pending', 'payer': {'userId': 'ann'}}");

        assertThat(RULES.apply("events.payment.completed", pending, "k", "rules")).extracting(m -> m.rule().name())
                .containsExactly("all-events");
        assertThat(RULES.apply("events.compliance.alert", json("{'severity': 'low'}"), "k", "rules"))
                .extracting(m -> m.rule().name()).containsExactly("all-events");
        assertThat(RULES.apply("other.subject", pending, "k", "rules")).isEmpty();
    }

    @Test
    void recipientsComeFromAnArrayAndAFixedList() {
        List<EventRules.Match> matches = RULES.apply("events.compliance.alert",
                json("{'severity': 'critical', 'kind': 'AML', 'watchers': ['cy', 'dee']}"), "k", "rules");

        CreateNotification alert = matches.getFirst().request();
        assertThat(alert.recipients()).containsExactly("officer", "cy", "dee");
        assertThat(alert.template().key()).isEqualTo("alert");
        assertThat(alert.template().variables().toString()).isEqualTo("{\"kind\":\"AML\"}");
    }

    @Test
    void aMatchingEventWithoutItsRecipientNamesTheRuleAndThePointer() {
        List<EventRules.Match> matches = RULES.apply("events.payment.completed", json("{'status': 'completed'}"), "k", "rules");

        assertThat(matches.getFirst().request()).isNull();
        assertThat(matches.getFirst().problem()).isEqualTo("rule 'paid': no recipient at /payer/userId in the event");
    }

    @Test
    void aBadRuleIsRefusedWithItsPositionNameAndField() {
        assertThatThrownBy(() -> RulesReader.read(json("{'rules': [{'name': 'ok', 'subject': 'a', 'recipients': {'users': ['u']},"
                + " 'notification': {'type': 't', 'title': 'x'}}, {'name': 'broken', 'subject': 'b', 'recipients': {'users': ['u']},"
                + " 'notification': {'title': 'x'}}]}")))
                .hasMessage("rules[1] (broken): notification.type is required");
        assertThatThrownBy(() -> RulesReader.read(json("{'rules': [{'name': 'p', 'subject': 'a', 'recipients': {'from': ['payer']},"
                + " 'notification': {'type': 't', 'title': 'x'}}]}")))
                .hasMessage("rules[0] (p): recipients.from: 'payer' is not a JSON pointer (e.g. /payer/userId)");
        assertThatThrownBy(() -> RulesReader.read(json("{'rules': [{'name': 'q', 'subject': 'a.>.b', 'recipients': {'users': ['u']},"
                + " 'notification': {'type': 't', 'title': 'x'}}]}")))
                .hasMessage("rules[0] (q): subject 'a.>.b': > must be the last token");
        assertThatThrownBy(() -> RulesReader.read(json("{'rules': [{'name': 'r', 'subject': 'a', 'recipents': {'users': ['u']},"
                + " 'notification': {'type': 't', 'title': 'x'}}]}")))
                .hasMessage("rules[0] (r): recipents: unknown field");
        assertThatThrownBy(() -> RulesReader.read(json("{'rules': [{'name': 's', 'subject': 'a', 'recipients': {'users': ['u']},"
                + " 'when': {'field': '/x'}, 'notification': {'type': 't', 'title': 'x'}}]}")))
                .hasMessage("rules[0] (s): when: give equals or in (one of them)");
    }

    @Test
    void subjectPatternsMatchAsNatsDoes() {
        assertThat(new SubjectPattern("events.*.completed").matches("events.payment.completed")).isTrue();
        assertThat(new SubjectPattern("events.*.completed").matches("events.payment.x.completed")).isFalse();
        assertThat(new SubjectPattern("events.>").matches("events.payment.completed")).isTrue();
        assertThat(new SubjectPattern("events.>").matches("events")).isFalse();
        assertThat(new SubjectPattern("events.payment").matches("events.payment.completed")).isFalse();
    }
}
