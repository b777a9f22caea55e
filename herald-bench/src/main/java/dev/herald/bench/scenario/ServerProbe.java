package dev.herald.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the memory of the server under test. RSS comes from {@code /proc/<pid>/status} (VmRSS).
 * Heap after a full collection comes from {@code jcmd <pid> GC.run} then {@code GC.heap_info} for
 * a JVM, or from a URL the server exposes (the Node reference answers {@code heapUsed} after
 * {@code global.gc()}).
 */
public final class ServerProbe {
    /** A reading; -1 where unknown. */
    public record Memory(long heapBytes, long rssBytes) {}

    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    private final long pid;
    private final String memoryUrl;

    public ServerProbe(long pid, String memoryUrl) {
        this.pid = pid;
        this.memoryUrl = memoryUrl;
    }

    public boolean enabled() {
        return pid > 0 || (memoryUrl != null && !memoryUrl.isBlank());
    }

    public Memory read() throws IOException, InterruptedException {
        long heap = memoryUrl != null && !memoryUrl.isBlank() ? heapFromUrl() : pid > 0 ? heapFromJcmd() : -1;
        return new Memory(heap, pid > 0 ? rss() : -1);
    }

    /** RSS now, without the collections {@link #read} runs first; heap unknown (-1). */
    public Memory rssOnly() throws IOException {
        return new Memory(-1, pid > 0 ? rss() : -1);
    }

    /**
     * CPU time the server has used so far (user + system, all threads), from {@code /proc/<pid>/stat};
     * -1 without a pid. On a machine the generator shares with the server, CPU per operation is
     * steadier than operations per second: it does not depend on who else had the cores.
     */
    public long cpuNanos() throws IOException {
        if (pid <= 0) return -1;
        return cpuNanosOf(pid);
    }

    /** The process's name ({@code /proc/<pid>/comm}: redis-server, nats-server, java), or its pid when gone. */
    public String processName() {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), "comm")).strip();
        } catch (IOException gone) {
            return String.valueOf(pid);
        }
    }

    /** User + system CPU of process {@code pid} so far (all its threads). */
    static long cpuNanosOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // Fields after the parenthesised command name, which may itself hold spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    }

    /**
     * CPU time per thread so far, keyed by thread id, with the group each thread counts in: where a
     * server spends its CPU (event loops, virtual-thread carriers, JIT, GC) rather than how much.
     * Empty without a pid. Threads that exit between two snapshots are seen only in {@link #cpuNanos}.
     */
    public Map<Long, ThreadCpu> threadCpu() throws IOException {
        Map<Long, ThreadCpu> out = new HashMap<>();
        if (pid <= 0) return out;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long tid = Long.parseLong(task.getFileName().toString());
                    long nanos = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
                    out.put(tid, new ThreadCpu(group(name, tid == pid), nanos));
                } catch (IOException | RuntimeException gone) {
                    // The thread exited while the folder was read.
                }
            }
        }
        return out;
    }

    /** One thread's CPU so far and the group it counts in. */
    public record ThreadCpu(String group, long nanos) {}

    /**
     * CPU spent between two {@link #threadCpu} snapshots per group, plus {@code exited}: what the
     * process spent in threads that did not live to the second snapshot ({@code totalNanos} is the
     * process's own figure for the same interval).
     */
    public static Map<String, Long> byGroup(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after, long totalNanos) {
        Map<String, Long> groups = new TreeMap<>();
        long seen = 0;
        for (var e : after.entrySet()) {
            ThreadCpu was = before.get(e.getKey());
            long d = e.getValue().nanos() - (was == null ? 0 : was.nanos());
            groups.merge(e.getValue().group(), d, Long::sum);
            seen += d;
        }
        if (totalNanos >= 0) groups.put("exited", Math.max(0, totalNanos - seen));
        return groups;
    }

    /**
     * The group of a thread by its name (Linux keeps 15 characters): Netty's event loops, the
     * JDK's virtual-thread carriers (ForkJoinPool), the JIT compilers, the collector and VM
     * thread; a Node process names every thread {@code node}, so its main thread (the event loop)
     * is told apart by id and the rest are V8/libuv workers.
     */
    static String group(String name, boolean mainThread) {
        if (name.equals("node")) return mainThread ? "eventLoops" : "nodeWorkers";
        if (name.contains("EventLoop") || name.contains("IoEv") || name.startsWith("epoll") || name.startsWith("grpc-nio")
                || name.startsWith("grpc-default-wo")) return "eventLoops";
        if (name.startsWith("ForkJoinPool")) return "virtualThreadCarriers";
        if (name.contains("CompilerThre") || name.startsWith("C1 ") || name.startsWith("C2 ")) return "jit";
        if (name.startsWith("GC ") || name.startsWith("G1 ") || name.startsWith("ZGC") || name.startsWith("Z ")
                || name.equals("VM Thread")) return "gc";
        return "other";
    }

    /** USER_HZ: 100 on every Linux architecture the JDK runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private long rss() throws IOException {
        Matcher m = RSS.matcher(Files.readString(Path.of("/proc", String.valueOf(pid), "status")));
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    private long heapFromJcmd() throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        jcmd(jcmd, "GC.run");
        // A second collection lets a concurrent collector (ZGC) settle what the first freed.
        jcmd(jcmd, "GC.run");
        Matcher m = USED.matcher(jcmd(jcmd, "GC.heap_info"));
        if (!m.find()) return -1;
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "K" -> v * 1024;
            case "M" -> v * 1024 * 1024;
            default -> v * 1024 * 1024 * 1024;
        };
    }

    private String jcmd(String jcmd, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        return out;
    }

    private long heapFromUrl() throws IOException, InterruptedException {
        // HTTP/1.1: an h2c upgrade attempt would look like a WebSocket upgrade to some servers.
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var r = http.send(HttpRequest.newBuilder(URI.create(memoryUrl)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body()).path("heapUsed").asLong(-1);
        }
    }
}
