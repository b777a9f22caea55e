package dev.herald.server;

import dev.herald.server.config.Env;
import dev.herald.server.doctor.Doctor;
import dev.herald.server.doctor.Finding;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code herald doctor}: checks the configuration, the store and the configured peers, one line
 * each; exit code 1 when any check failed (warnings alone exit 0).
 */
@Command(name = "doctor", description = "Check the configuration, the store and Redis/NATS/SMTP reachability; exit 1 if anything is off.")
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final Env env;

    DoctorCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Finding> findings = new Doctor(env).run();
        findings.forEach(out::println);
        long failed = findings.stream().filter(f -> f.level() == Finding.Level.FAIL).count();
        long warned = findings.stream().filter(f -> f.level() == Finding.Level.WARN).count();
        out.println(failed == 0 ? "herald doctor: nothing is off" + (warned == 0 ? "" : " (" + warned + " warning" + (warned == 1 ? "" : "s") + ")")
                : "herald doctor: " + failed + " problem" + (failed == 1 ? "" : "s") + " found");
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
