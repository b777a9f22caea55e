package dev.herald.server.doctor;

/** One line of {@code herald doctor}: what was checked, how it went, and why. */
public record Finding(Level level, String subject, String detail) {
    public enum Level { OK, WARN, FAIL, SKIP }

    public static Finding ok(String subject, String detail) {
        return new Finding(Level.OK, subject, detail);
    }

    public static Finding warn(String subject, String detail) {
        return new Finding(Level.WARN, subject, detail);
    }

    public static Finding fail(String subject, String detail) {
        return new Finding(Level.FAIL, subject, detail);
    }

    public static Finding skip(String subject, String detail) {
        return new Finding(Level.SKIP, subject, detail);
    }

    @Override
    public String toString() {
        String tag = switch (level) {
            case OK -> "ok  ";
            case WARN -> "warn";
            case FAIL -> "FAIL";
            case SKIP -> " -  ";
        };
        return tag + "  " + subject + ": " + detail;
    }
}
