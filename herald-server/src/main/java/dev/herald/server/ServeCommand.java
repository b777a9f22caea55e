package dev.herald.server;

import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import dev.herald.server.ops.Logging;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** {@code herald serve}: runs until SIGTERM or Ctrl-C, then shuts down gracefully. */
@Command(name = "serve", description = "Run the server (embedded store unless DATABASE_URL is set).")
final class ServeCommand implements Callable<Integer> {
    private final Env env;

    ServeCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        HeraldConfig config = HeraldConfig.from(env);
        Logging.configure(config.ops());
        Herald herald = Herald.start(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("herald-shutdown").unstarted(() -> {
            herald.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
