package dev.herald.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.Json;
import dev.herald.core.ingest.rules.EventRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesFileTest {
    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "rules.yaml");

    @TempDir
    Path dir;

    @Test
    void theShippedExampleLoadsWithSeed004sPaymentSettlementAndComplianceRules() {
        EventRules rules = RulesFile.load(EXAMPLE);

        assertThat(rules.subjects()).containsExactly("events.payment.completed", "events.payment.failed",
                "events.settlement.completed", "events.compliance.alert");
        JsonNode settlement = Json.parse("{\"settlementId\":\"s-1\",\"amount\":\"9\",\"currency\":\"USD\",\"cycleId\":\"c-7\","
                + "\"participants\":[\"bank-a\",\"bank-b\"]}", "event");
        List<EventRules.Match> matches = rules.apply("events.settlement.completed", settlement, "m-1", "rules");
        assertThat(matches).singleElement().satisfies(m -> {
            assertThat(m.request().recipients()).containsExactly("bank-a", "bank-b");
            assertThat(m.request().title()).isEqualTo("Settlement s-1 completed");
        });
        JsonNode lowAlert = Json.parse("{\"severity\":\"low\"}", "event");
        assertThat(rules.apply("events.compliance.alert", lowAlert, "m-2", "rules")).isEmpty();
        JsonNode critical = Json.parse("{\"severity\":\"critical\",\"kind\":\"AML\",\"transactionId\":\"t-9\",\"summary\":\"s\"}", "event");
        assertThat(rules.apply("events.compliance.alert", critical, "m-3", "rules")).singleElement()
                .satisfies(m -> assertThat(m.request().recipients()).containsExactly("compliance-officer"));
    }

    @Test
    void aBadRuleStopsTheStartWithAMessageNamingIt() throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, """
                rules:
                  - name: fine
                    subject: events.a
                    recipients: {users: [ops]}
                    notification: {type: a, title: A}
                  - name: payment-completed
                    subject: events.payment.completed
                    recipients: {from: [/payer/userId]}
                    notification: {title: Paid}
                """);

        assertThatThrownBy(() -> RulesFile.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage("HERALD_RULES_FILE " + file + ": rules[1] (payment-completed): notification.type is required");
    }

    @Test
    void yamlThatDoesNotParseNamesTheLine() throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "rules:\n  - name: a\n    subject: [unclosed\n");

        assertThatThrownBy(() -> RulesFile.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HERALD_RULES_FILE " + file + " is not valid YAML (line ");
    }
}
