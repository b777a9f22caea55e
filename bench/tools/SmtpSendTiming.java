// A micro-benchmark of Herald's SMTP sender alone (no dispatcher, no database), not a test: N mails
// sent with SmtpEmailSender on T virtual threads to herald-bench's SmtpSink (GreenMail) in this JVM,
// three rounds (the last ones are warm); prints mails/s, CPU per mail (sender and sink together)
// and the connections the sink accepted. bench/RESULTS.md 2026-12-02 used it to compare one SMTP
// connection per message with kept connections. Build, then run (port, mails, threads):
//   ./mvnw -B -q -ntp -DskipTests -pl herald-bench -am test-compile
//   ./mvnw -B -q -ntp -pl herald-channels dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
//   java -cp herald-channels/target/classes:herald-core/target/classes:herald-bench/target/classes:$(cat /tmp/cp.txt):<HdrHistogram jar> \
//     -Dlogback.configurationFile=<a logback.xml at WARN> bench/tools/SmtpSendTiming.java 38213 2000 4
import dev.herald.bench.channel.SmtpSink;
import dev.herald.channels.email.*;
import dev.herald.core.deliver.dispatch.*;
import dev.herald.core.notification.*;
import java.time.Clock;
import java.util.Optional;
public class SmtpSendTiming {
  public static void main(String[] a) throws Exception {
    int port = Integer.parseInt(a[0]); int n = Integer.parseInt(a[1]); int threads = Integer.parseInt(a[2]);
    try (SmtpSink sink = new SmtpSink(port)) {
      SmtpEmailSender s = new SmtpEmailSender(EmailConfig.of(SmtpUrl.parse("smtp://127.0.0.1:" + port), "Herald <noreply@example.com>"), Optional.empty(), Clock.systemUTC());
      // -Dbench.scanStreamProvider: undo the sender's StreamProvider naming, to measure the ServiceLoader scan it avoids.
      if (Boolean.getBoolean("bench.scanStreamProvider")) System.clearProperty("jakarta.mail.util.StreamProvider");
      for (int round = 0; round < 3; round++) {
        long cpu0 = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
        Thread[] ts = new Thread[threads];
        final int r = round;
        for (int t = 0; t < threads; t++) ts[t] = Thread.ofVirtual().start(() -> {
          long i;
          while ((i = seq.getAndIncrement()) < n) {
            var target = new Delivery.Target("n" + i, "u1", "bench", Channel.EMAIL, Priority.MEDIUM, Delivery.Kind.STANDARD, null);
            var contact = new Contact("u1", "u1@bench.example", null, "en", null, null);
            SendResult res = s.send(new OutboundMessage("d-" + r + "-" + i, target, 1, contact, new OutboundMessage.Content("Bench " + i + " " + System.nanoTime(), "hello", null, "{}")));
            if (!(res instanceof SendResult.Sent)) System.out.println(res);
          }
        });
        for (Thread t : ts) t.join();
        long el = System.nanoTime() - t0;
        long cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() - cpu0;
        System.out.printf("round %d: %d mails in %.2f s = %.0f/s, %.0f us CPU/mail (sender+sink), connections %d%n", round, n, el / 1e9, n * 1e9 / el, cpu / 1e3 / n, sink.connections());
      }
      if (((Object) s) instanceof AutoCloseable c) c.close(); // the kept connections (a sender without them has no close)
    }
  }
}
