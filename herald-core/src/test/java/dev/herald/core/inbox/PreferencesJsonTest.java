package dev.herald.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Preferences;
import dev.herald.core.notification.Preferences.DigestRule;
import dev.herald.core.notification.Preferences.Frequency;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreferencesJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DESIGN_EXAMPLE = """
            { "channels": {"inApp": true, "email": true, "push": true, "sms": false, "webhook": false},
              "types": {"marketing": {"email": false}, "comment": {"push": false}},
              "quietHours": {"start": "22:00", "end": "07:00", "timezone": "Europe/Paris"},
              "digest": {"comment": {"frequency": "daily", "at": "09:00"}, "*": {"frequency": "instant"}} }""";

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static Preferences parse(String text) throws Exception {
        return PreferencesJson.parse(json(text), ZoneOffset.UTC);
    }

    private static Preferences merge(Preferences current, String patch) throws Exception {
        return PreferencesJson.merge(current, json(patch), ZoneOffset.UTC);
    }

    @Test
    void readsTheDesignShape() throws Exception {
        Preferences p = parse(DESIGN_EXAMPLE);

        assertThat(p.allows("order", Channel.SMS)).isFalse();
        assertThat(p.allows("marketing", Channel.EMAIL)).isFalse();
        assertThat(p.allows("marketing", Channel.PUSH)).isTrue();
        assertThat(p.quietHours()).isEqualTo(new Preferences.QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0), ZoneId.of("Europe/Paris")));
        assertThat(p.digestFor("comment")).isEqualTo(new DigestRule(Frequency.DAILY, LocalTime.of(9, 0), null));
        assertThat(p.digestFor("order").instant()).isTrue();
    }

    @Test
    void writesWhatItReadsBackInTheSameShape() throws Exception {
        JsonNode written = PreferencesJson.toJson(parse(DESIGN_EXAMPLE));

        assertThat(written).isEqualTo(json(DESIGN_EXAMPLE));
    }

    @Test
    void writesTheDefaultsWithEveryChannelOnAndEveryTypeInstant() throws Exception {
        assertThat(PreferencesJson.toJson(Preferences.defaults())).isEqualTo(json("""
                {"channels": {"inApp": true, "email": true, "push": true, "sms": true, "webhook": true},
                 "types": {}, "quietHours": null, "digest": {"*": {"frequency": "instant"}}}"""));
    }

    @Test
    void acceptsSeed001FlatChannelSwitches() throws Exception {
        Preferences p = parse("{\"email\": true, \"push\": false, \"inApp\": true}");

        assertThat(p.channels()).containsEntry(Channel.EMAIL, true).containsEntry(Channel.PUSH, false).containsEntry(Channel.IN_APP, true);
    }

    @Test
    void refusesAFlatSwitchAlsoGivenInChannels() {
        assertThatThrownBy(() -> parse("{\"email\": true, \"channels\": {\"email\": false}}"))
                .hasMessageStartingWith("email: also given in channels");
    }

    @Test
    void aPatchReplacesOnlyTheSwitchesItNames() throws Exception {
        Preferences p = merge(parse(DESIGN_EXAMPLE), "{\"channels\": {\"sms\": true}, \"types\": {\"marketing\": {\"push\": false}}}");

        assertThat(p.channels()).containsEntry(Channel.SMS, true).containsEntry(Channel.WEBHOOK, false);
        assertThat(p.types().get("marketing")).containsEntry(Channel.EMAIL, false).containsEntry(Channel.PUSH, false);
        assertThat(p.types()).containsKey("comment");
        assertThat(p.quietHours()).isNotNull();
        assertThat(p.digestFor("comment").frequency()).isEqualTo(Frequency.DAILY);
    }

    @Test
    void aPatchNullRemovesAKeyBackToItsDefault() throws Exception {
        Preferences p = merge(parse(DESIGN_EXAMPLE), "{\"channels\": {\"sms\": null}, \"types\": {\"comment\": null}, \"digest\": {\"comment\": null}}");

        assertThat(p.allows("x", Channel.SMS)).isTrue();
        assertThat(p.types()).doesNotContainKey("comment");
        assertThat(p.digestFor("comment").instant()).isTrue();
    }

    @Test
    void aPatchReplacesQuietHoursWhole() throws Exception {
        Preferences p = merge(parse(DESIGN_EXAMPLE), "{\"quietHours\": {\"start\": \"23:00\", \"end\": \"06:30\"}}");

        assertThat(p.quietHours()).isEqualTo(new Preferences.QuietHours(LocalTime.of(23, 0), LocalTime.of(6, 30), ZoneOffset.UTC));
    }

    @Test
    void aPatchNullQuietHoursRemovesThem() throws Exception {
        assertThat(merge(parse(DESIGN_EXAMPLE), "{\"quietHours\": null}").quietHours()).isNull();
    }

    @Test
    void quietHoursWithoutATimeZoneTakeTheDefaultZone() throws Exception {
        Preferences p = PreferencesJson.parse(json("{\"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\"}}"), ZoneId.of("Asia/Tokyo"));

        assertThat(p.quietHours().zone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    }

    @Test
    void readsAWeeklyDigestWithItsDay() throws Exception {
        Preferences p = parse("{\"digest\": {\"comment\": {\"frequency\": \"weekly\", \"day\": \"friday\", \"at\": \"17:30\"}}}");

        assertThat(p.digestFor("comment")).isEqualTo(new DigestRule(Frequency.WEEKLY, LocalTime.of(17, 30), DayOfWeek.FRIDAY));
    }

    @Test
    void keepsOnlyTheMinuteOfAnHourlyDigest() throws Exception {
        Preferences p = parse("{\"digest\": {\"*\": {\"frequency\": \"hourly\", \"at\": \"09:15\"}}}");

        assertThat(p.digestFor("any").at()).isEqualTo(LocalTime.of(0, 15));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "{\"channels\": {\"fax\": true}}                                  | channels.fax: unknown channel",
            "{\"channels\": {\"email\": \"yes\"}}                             | channels.email: must be true or false",
            "{\"channels\": [\"email\"]}                                      | channels: must be an object",
            "{\"push\": 1}                                                    | push: must be true or false",
            "{\"colour\": \"blue\"}                                           | colour: unknown field",
            "{\"types\": {\"bad type\": {\"email\": false}}}                  | types.bad type: a type is",
            "{\"types\": {\"marketing\": {\"carrier-pigeon\": false}}}        | types.marketing.carrier-pigeon: unknown channel",
            "{\"types\": {\"marketing\": false}}                              | types.marketing: must be an object",
            "{\"quietHours\": {\"start\": \"25:00\", \"end\": \"07:00\"}}     | quietHours.start: must be HH:MM",
            "{\"quietHours\": {\"start\": \"22:00\", \"end\": \"7:00\"}}      | quietHours.end: must be HH:MM",
            "{\"quietHours\": {\"start\": \"22:00\"}}                         | quietHours.end: required",
            "{\"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\", \"timezone\": \"Mars/Olympus\"}} | quietHours.timezone: unknown time zone 'Mars/Olympus'",
            "{\"quietHours\": {\"start\": \"22:00\", \"end\": \"07:00\", \"zone\": \"UTC\"}} | quietHours.zone: unknown field",
            "{\"quietHours\": \"22-07\"}                                      | quietHours: must be an object",
            "{\"digest\": {\"comment\": {\"frequency\": \"sometimes\"}}}      | digest.comment.frequency: must be instant, hourly, daily or weekly, not 'sometimes'",
            "{\"digest\": {\"comment\": {}}}                                  | digest.comment.frequency: required",
            "{\"digest\": {\"comment\": {\"frequency\": \"weekly\"}}}         | digest.comment.day: a weekly digest needs a day",
            "{\"digest\": {\"comment\": {\"frequency\": \"weekly\", \"day\": \"someday\"}}} | digest.comment.day: must be a day of the week",
            "{\"digest\": {\"comment\": {\"frequency\": \"daily\", \"day\": \"monday\"}}}   | digest.comment.day: only a weekly digest takes a day",
            "{\"digest\": {\"comment\": {\"frequency\": \"daily\", \"at\": \"9am\"}}}       | digest.comment.at: must be HH:MM",
            "{\"digest\": {\"comment\": {\"frequency\": \"instant\", \"at\": \"09:00\"}}}   | digest.comment.at: an instant digest takes no time",
            "{\"digest\": {\"comment\": \"daily\"}}                           | digest.comment: must be an object",
    })
    void refusesBadInputNamingTheField(String body, String message) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith(message);
    }

    @Test
    void refusesABodyThatIsNotAnObject() {
        assertThatThrownBy(() -> parse("[true]")).hasMessageStartingWith("preferences: must be a JSON object");
    }
}
