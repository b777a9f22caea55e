package dev.herald.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiRateLimitTest {
    @Test
    void roomAndBroadcastRoutesAreBroadcastsWhateverTheirVersionPrefix() {
        assertThat(ApiRateLimit.isBroadcast("POST", "/api/v1/realtime/rooms/team:1/events")).isTrue();
        assertThat(ApiRateLimit.isBroadcast("POST", "/api/realtime/rooms/news/events")).isTrue();
        assertThat(ApiRateLimit.isBroadcast("POST", "/api/v1/realtime/broadcast")).isTrue();
        assertThat(ApiRateLimit.isBroadcast("POST", "/api/v1/realtime/broadcast-with-acks")).isTrue();
        assertThat(ApiRateLimit.isBroadcast("POST", "/api/v1/realtime/events/broadcast")).isTrue();
    }

    @Test
    void userEventsReadsAndOtherApisAreNotBroadcasts() {
        assertThat(ApiRateLimit.isBroadcast("POST", "/api/v1/realtime/users/events")).isFalse();
        assertThat(ApiRateLimit.isBroadcast("POST", "/api/v1/realtime/users/alice/events")).isFalse();
        assertThat(ApiRateLimit.isBroadcast("GET", "/api/v1/realtime/rooms/news")).isFalse();
        assertThat(ApiRateLimit.isBroadcast("POST", "/api/v1/notifications")).isFalse();
    }

    @Test
    void aCallerIsADigestOfItsCredentialNeverTheCredentialAndElseItsAddress() {
        String key = ApiRateLimit.callerKey("Bearer secret-key-0123456789", null, "203.0.113.5");

        assertThat(key).startsWith("cred:").doesNotContain("secret");
        assertThat(ApiRateLimit.callerKey(null, "secret-key-0123456789", "198.51.100.1")).isEqualTo(key);
        assertThat(ApiRateLimit.callerKey(null, null, "198.51.100.1")).isEqualTo("ip:198.51.100.1");
    }
}
