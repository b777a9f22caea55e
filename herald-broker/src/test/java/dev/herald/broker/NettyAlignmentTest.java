package dev.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.Version;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Lettuce runs on the build's one Netty (the netty-bom's 4.2), not on a second copy it brought along. */
class NettyAlignmentTest {
    @Test
    void everyNettyJarOnTheClasspathIsTheSame42Release() {
        Map<String, Version> jars = Version.identify();
        Set<String> versions = jars.values().stream().map(Version::artifactVersion).collect(Collectors.toSet());

        assertThat(jars).containsKeys("netty-common", "netty-transport", "netty-handler");
        assertThat(versions).hasSize(1);
        assertThat(versions.iterator().next()).startsWith("4.2.");
        assertThat(io.lettuce.core.RedisClient.class).isNotNull();
    }
}
