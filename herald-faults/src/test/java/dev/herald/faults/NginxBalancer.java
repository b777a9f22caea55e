package dev.herald.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private nginx in front of a set of nodes, on its own port with its own prefix, pid, logs and
 * temporary directories, so the machine's nginx (if any) is never touched. Its configuration is
 * the project's own {@code deploy/nginx/nginx.conf} (ip_hash, max_fails/fail_timeout,
 * proxy_next_upstream, WebSocket upgrade) with only the addresses changed: what is tested is what
 * operators deploy.
 */
final class NginxBalancer implements AutoCloseable {
    private static final Path SHIPPED = Path.of("../deploy/nginx/nginx.conf");
    private final int port;
    private final Path dir;
    private final Process process;

    private NginxBalancer(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    /** nginx's binary when installed (scripts/services.sh installs nginx-light). */
    static Optional<Path> binary() {
        return Stream.of("/usr/sbin/nginx", "/usr/bin/nginx").map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /**
     * The shipped configuration with {@code upstream} as its servers and {@code port} as its
     * listener; prefix-relative paths for everything nginx writes.
     */
    static String configuration(String shipped, int port, List<HeraldProcess> upstream, Path dir) {
        String servers = upstream.stream().map(n -> "        server 127.0.0.1:" + n.port() + " max_fails=3 fail_timeout=30s;")
                .collect(Collectors.joining("\n"));
        String conf = shipped.replaceAll("(?m)^\\s*server herald-\\d:3000 max_fails=3 fail_timeout=30s;\\n", "");
        if (conf.equals(shipped) || !conf.contains("ip_hash;\n") || !conf.contains("listen 8080;")) {
            throw new IllegalStateException(SHIPPED + " no longer has the upstream servers, ip_hash and listen 8080 this test"
                    + " rewrites; update NginxBalancer with it");
        }
        conf = conf.replace("ip_hash;\n", "ip_hash;\n" + servers + "\n").replace("listen 8080;", "listen 127.0.0.1:" + port + ";");
        // Debian's nginx keeps its temporary files under /var/lib/nginx: this one keeps them in its own folder.
        String temp = Stream.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
                .map(t -> "    " + t + "_temp_path " + dir.resolve(t + "_temp") + ";").collect(Collectors.joining("\n"));
        conf = conf.replaceFirst("http \\{\\n", "http {\n" + temp.replace("$", "\\$") + "\n");
        // One worker, and run as the current user (root in CI), so it can write the folder above.
        return "daemon off;\nuser " + System.getProperty("user.name") + ";\n"
                + conf.replace("worker_processes auto;", "worker_processes 1;");
    }

    static NginxBalancer start(Path binary, Path workDir, List<HeraldProcess> upstream) throws IOException {
        int port = HeraldProcess.freePort();
        Path dir = Files.createDirectories(workDir.resolve("nginx"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, configuration(Files.readString(SHIPPED), port, upstream, dir));
        Process p = HeraldProcess.reapOnExit(new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString(), "-g", "pid " + dir.resolve("nginx.pid") + ";")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nginx.out").toFile())).start());
        NginxBalancer balancer = new NginxBalancer(port, dir, p);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(balancer::listening);
        return balancer;
    }

    private boolean listening() throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("nginx exited with " + process.exitValue() + ": " + Files.readString(dir.resolve("error.log")));
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** How many upstream connects were refused (a dead node tried, then the next one), from nginx's error log. */
    long refusedConnects() throws IOException {
        try (Stream<String> lines = Files.lines(dir.resolve("error.log"))) {
            return lines.filter(l -> l.contains("Connection refused") && l.contains("while connecting to upstream")).count();
        }
    }

    @Override
    public void close() throws InterruptedException {
        // SIGTERM is nginx's fast shutdown; its workers go with the master.
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
