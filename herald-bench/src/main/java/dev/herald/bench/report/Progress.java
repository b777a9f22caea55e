package dev.herald.bench.report;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * The progress bar: one line on stderr, rewritten in place ({@code \r}) four times a second, so
 * stdout stays clean for results. {@link #phase} switches what the line shows.
 */
public final class Progress implements AutoCloseable {
    /** What to draw: a fraction done (0..1, or negative when unknown) and a status text. */
    public record State(double fraction, String text) {}

    private static final boolean DRAW = !"off".equals(System.getProperty("herald.bench.progress"));

    private final PrintStream err = System.err;
    private final String title;
    private volatile Supplier<State> state = () -> new State(-1, "");
    private final Thread thread;
    private volatile boolean running = true;
    private int lastWidth;

    public Progress(String title) {
        this.title = title;
        this.thread = Thread.ofPlatform().daemon().name("progress").start(() -> {
            while (running) {
                draw();
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    public void phase(Supplier<State> s) {
        this.state = s;
    }

    private synchronized void draw() {
        if (!DRAW) return;
        State s = state.get();
        String bar;
        if (s.fraction() < 0) bar = "[" + " ".repeat(20) + "]     ";
        else {
            int filled = (int) Math.round(Math.min(1, s.fraction()) * 20);
            bar = "[" + "#".repeat(filled) + "-".repeat(20 - filled) + "] " + String.format("%3d%%", Math.round(Math.min(1, s.fraction()) * 100));
        }
        String line = title + " " + bar + " " + s.text();
        int pad = Math.max(0, lastWidth - line.length());
        lastWidth = line.length();
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        draw();
        if (DRAW) err.println();
    }
}
