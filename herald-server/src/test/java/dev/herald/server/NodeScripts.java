package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs Node test files of src/test/node (the official socket.io-client, ws) with node's test runner,
 * from a copy under target/ where npm installs them, so src/ never holds node_modules.
 */
final class NodeScripts {
    private static final Path SOURCES = Path.of("src/test/node");
    static final Path WORK = Path.of("target/interop-node");

    private NodeScripts() {}

    /** Copies the Node project into target/ and installs it there (once). */
    static Path prepare() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.toList()) Files.copy(f, WORK.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/socket.io-client"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(WORK.toFile()).redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci finished").isTrue();
            assertThat(npm.exitValue()).as("npm ci: " + out).isZero();
        }
        return WORK;
    }

    /** Runs the files with node --test and asserts every test in them passed (and some ran). */
    static void runPassing(List<String> files, Map<String, String> env) throws IOException, InterruptedException {
        Path work = prepare();
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-concurrency=1", "--test-reporter=spec"));
        command.addAll(files);
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process node = pb.start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = node.waitFor(5, TimeUnit.MINUTES);
        System.out.println(output);
        assertThat(finished).as("node test run finished").isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("ℹ fail 0").doesNotContain("ℹ pass 0\n");
    }
}
