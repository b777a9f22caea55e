package dev.herald.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file in deploy/ goes through a parser or a check of what it promises: YAML and JSON parse,
 * Kubernetes objects name their kind, the Deployment outlasts the shutdown timeout, nginx is sticky
 * and accepts its configuration ({@code nginx -t}, when nginx is installed), the compose file is
 * valid ({@code docker compose config}, when the plugin exists). The metric names are checked by
 * {@code dev.herald.server.DeployMetricNamesTest} against a running Herald.
 */
class DeployFilesTest {
    static final Path DEPLOY = Path.of("../deploy");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static List<Path> files() throws IOException {
        try (Stream<Path> all = Files.walk(DEPLOY)) {
            return all.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static String read(String file) throws IOException {
        return Files.readString(DEPLOY.resolve(file));
    }

    static List<JsonNode> yamlDocuments(Path file) throws IOException {
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            List<JsonNode> out = new ArrayList<>();
            while (docs.hasNext()) out.add(docs.next());
            return out;
        }
    }

    @Test
    void everyFileInDeployIsParsedOrChecked() throws IOException {
        List<Path> files = files();
        assertThat(files).hasSizeGreaterThan(15);
        for (Path f : files) {
            String name = f.getFileName().toString();
            String text = Files.readString(f);
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                List<JsonNode> docs = yamlDocuments(f);
                assertThat(docs).as(f + " holds YAML").isNotEmpty().allSatisfy(d -> assertThat(d.isObject()).as(f.toString()).isTrue());
                if (f.startsWith(DEPLOY.resolve("kubernetes"))) {
                    docs.forEach(d -> assertThat(d.hasNonNull("apiVersion") && d.hasNonNull("kind")).as(f + " is a Kubernetes object").isTrue());
                }
            } else if (name.endsWith(".json")) {
                assertThat(JSON.readTree(text).isObject()).as(f + " holds a JSON object").isTrue();
            } else if (name.endsWith(".conf")) {
                assertThat(text).as(f + " proxies WebSocket upgrades").contains("proxy_set_header Upgrade $http_upgrade")
                        .contains("proxy_set_header Connection $connection_upgrade").contains("ip_hash;");
            } else if (name.equals("Dockerfile")) {
                assertThat(text).contains("./mvnw").contains("jlink").contains("USER 65532:65532").contains("HEALTHCHECK").contains("/ready");
                // The AOT cache is trained in the final stage (its jlink'd java) and used at start.
                String runStage = text.substring(text.lastIndexOf("\nFROM "));
                assertThat(runStage).as("the run stage trains the AOT cache").contains("-XX:AOTCacheOutput=/app/herald.aot")
                        .contains("-jar /app/herald.jar train").contains("-XX:AOTCache=/app/herald.aot");
                assertThat(text.lines().filter(l -> l.startsWith("FROM "))).as("multi-stage").hasSize(2);
            } else if (name.endsWith(".service")) {
                assertThat(text).contains("[Unit]").contains("[Service]").contains("[Install]").contains("ExecStart=")
                        .contains("herald.jar serve").contains("TimeoutStopSec=45");
            } else if (name.endsWith(".socket")) {
                assertThat(text).contains("[Socket]").contains("ListenStream=3000").contains("[Install]");
                assertThat(f.resolveSibling(name.replace(".socket", ".service"))).as("the service the socket is handed to").exists();
            } else if (name.endsWith(".env.example")) {
                text.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                        .forEach(l -> assertThat(l).as(f + ": KEY=value lines").matches("[A-Z_]+=.*"));
            } else {
                throw new AssertionError(f + " is not checked by any rule: add one");
            }
        }
    }

    @Test
    void theDeploymentDrainsForLongerThanTheShutdownTimeout() throws IOException {
        JsonNode deployment = yamlDocuments(DEPLOY.resolve("kubernetes/deployment.yaml")).getFirst();
        JsonNode config = yamlDocuments(DEPLOY.resolve("kubernetes/configmap.yaml")).getFirst();
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        int grace = pod.path("terminationGracePeriodSeconds").asInt();
        int shutdown = Integer.parseInt(config.path("data").path("SHUTDOWN_TIMEOUT_SECONDS").asText());
        int preStop = container.path("lifecycle").path("preStop").path("sleep").path("seconds").asInt();
        assertThat(preStop).isPositive();
        assertThat(grace).isGreaterThan(preStop + shutdown);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/ready");
        assertThat(pod.path("securityContext").path("runAsUser").asInt()).isEqualTo(65532);

        JsonNode hpa = yamlDocuments(DEPLOY.resolve("kubernetes/hpa.yaml")).getFirst();
        assertThat(hpa.path("spec").path("metrics").get(0).path("pods").path("metric").path("name").asText())
                .isEqualTo("notifications_connections");
        assertThat(yamlDocuments(DEPLOY.resolve("kubernetes/pdb.yaml")).getFirst().path("kind").asText()).isEqualTo("PodDisruptionBudget");
        JsonNode kustomization = yamlDocuments(DEPLOY.resolve("kubernetes/kustomization.yaml")).getFirst();
        try (Stream<Path> manifests = Files.list(DEPLOY.resolve("kubernetes"))) {
            List<String> listed = new ArrayList<>();
            kustomization.path("resources").forEach(r -> listed.add(r.asText()));
            assertThat(manifests.map(p -> p.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml")))
                    .as("every manifest is in the kustomization").containsExactlyInAnyOrderElementsOf(listed);
        }
    }

    @Test
    void theComposeFileRunsThreeNodesBehindAStickyNginxThatMarksFailures() throws IOException {
        JsonNode services = yamlDocuments(DEPLOY.resolve("compose.yaml")).getFirst().path("services");
        for (String s : List.of("postgres", "redis", "nats", "herald-1", "herald-2", "herald-3", "nginx")) {
            assertThat(services.has(s)).as("service " + s).isTrue();
            assertThat(services.path(s).has("healthcheck") || services.path(s).has("<<")).as(s + " has a health check").isTrue();
        }
        String nginx = read("nginx/nginx.conf");
        for (int i = 1; i <= 3; i++) assertThat(nginx).contains("server herald-" + i + ":3000 max_fails=3 fail_timeout=30s;");
        assertThat(nginx).contains("ip_hash;");
    }

    @Test
    void nginxAcceptsBothConfigurations() throws Exception {
        Path nginx = Stream.of("/usr/sbin/nginx", "/usr/bin/nginx").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(nginx != null, "nginx is not installed (scripts/services.sh installs nginx-light): `nginx -t` skipped");
        // nginx -t resolves upstream names: compose's service names become the loopback address here.
        String compose = read("nginx/nginx.conf").replaceAll("herald-\\d:3000", "127.0.0.1:3000");
        Files.writeString(tmp.resolve("compose.conf"), compose);
        String twoNodes = "events {}\nhttp {\n" + read("nginx/local-two-nodes.conf") + "\n}\n";
        Files.writeString(tmp.resolve("two-nodes.conf"), twoNodes);
        for (String conf : List.of("compose.conf", "two-nodes.conf")) {
            Process p = new ProcessBuilder(nginx.toString(), "-t", "-p", tmp.toString(), "-c", tmp.resolve(conf).toString(),
                    "-e", tmp.resolve("error.log").toString(), "-g", "pid " + tmp.resolve("nginx.pid") + ";")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(conf + ": " + out).isZero();
            assertThat(out).contains("syntax is ok");
        }
    }

    @Test
    void systemdAcceptsTheUnitsWithoutAWarning() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed: `systemd-analyze verify` skipped");
        // verify warns about keys it ignores but fails only on fatal ones: a warning fails here too.
        Process p = new ProcessBuilder(analyze.toString(), "verify", "--man=no", "herald.socket", "herald.service")
                .directory(DEPLOY.resolve("systemd").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isBlank();
    }

    @Test
    void dockerComposeAcceptsTheComposeFile() throws Exception {
        boolean plugin;
        try {
            Process v = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
            v.getInputStream().readAllBytes();
            plugin = v.waitFor(30, TimeUnit.SECONDS) && v.exitValue() == 0;
        } catch (IOException e) {
            plugin = false;
        }
        assumeTrue(plugin, "the docker compose plugin is not installed here: `docker compose config` skipped");
        Path env = DEPLOY.resolve("herald.env");
        boolean made = !Files.exists(env);
        if (made) Files.copy(DEPLOY.resolve("herald.env.example"), env);
        try {
            Process p = new ProcessBuilder("docker", "compose", "-f", DEPLOY.resolve("compose.yaml").toString(), "config", "--quiet")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
        } finally {
            if (made) Files.deleteIfExists(env);
        }
    }
}
