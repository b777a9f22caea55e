package dev.herald.core.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UnsubscribeLinksTest {
    private final UnsubscribeLinks links = new UnsubscribeLinks(URI.create("https://notify.example.com/"),
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    @Test
    void aLinkVerifiesToItsUserAndType() {
        URI link = links.link("user-1", "payment");
        assertThat(link.toString()).startsWith("https://notify.example.com/api/v1/unsubscribe/");
        String token = link.getPath().substring(UnsubscribeLinks.PATH.length());
        assertThat(links.verify(token)).contains(new UnsubscribeLinks.Target("user-1", "payment"));
    }

    @Test
    void aTokenForgedForAnotherUserOrTypeIsRefused() {
        String[] parts = links.token("user-1", "payment").split("\\.");
        String otherUser = links.token("user-2", "payment").split("\\.")[0];
        assertThat(links.verify(otherUser + "." + parts[1] + "." + parts[2])).isEmpty();
        assertThat(links.verify(parts[0] + "." + links.token("user-1", "marketing").split("\\.")[1] + "." + parts[2])).isEmpty();
    }

    @Test
    void aLinkOfAnotherSecretOrGarbageIsRefused() {
        UnsubscribeLinks other = new UnsubscribeLinks(URI.create("https://notify.example.com"),
                "another secret of thirty-two byte".getBytes(StandardCharsets.UTF_8));
        assertThat(links.verify(other.token("user-1", "payment"))).isEmpty();
        assertThat(links.verify("not-a-token")).isEmpty();
        assertThat(links.verify("a.b.c!")).isEmpty();
        assertThat(links.verify(null)).isEmpty();
    }
}
