package dev.herald.channels.sms;

/**
 * How an SMS text travels (3GPP TS 23.038): in the GSM 7-bit alphabet when every character is in
 * its basic set or extension table (whose characters take two septets), else in UCS-2 (UTF-16
 * units: an emoji takes two). One segment holds 160 septets or 70 units; a longer text is split
 * into segments of 153 septets or 67 units (the rest carries the concatenation header). Providers
 * bill per segment, so the delivery log shows it.
 */
public record SmsEncoding(Alphabet alphabet, int units, int segments) {
    public enum Alphabet { GSM7, UCS2 }

    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENSION = "\f^{}\\[~]|€";

    public static SmsEncoding of(String text) {
        int septets = 0;
        boolean gsm = true;
        for (int i = 0; i < text.length() && gsm; i++) {
            char c = text.charAt(i);
            if (BASIC.indexOf(c) >= 0 && c != '\u001b') septets++;
            else if (EXTENSION.indexOf(c) >= 0) septets += 2;
            else gsm = false;
        }
        if (gsm) return new SmsEncoding(Alphabet.GSM7, septets, segments(septets, 160, 153));
        int units = text.length();
        return new SmsEncoding(Alphabet.UCS2, units, segments(units, 70, 67));
    }

    private static int segments(int units, int single, int part) {
        if (units == 0) return 1;
        return units <= single ? 1 : (units + part - 1) / part;
    }

    /** For the delivery log: {@code encoding=gsm7 length=170 segments=2} (length in septets or UTF-16 units). */
    public String detail() {
        return "encoding=" + alphabet.name().toLowerCase(java.util.Locale.ROOT) + " length=" + units + " segments=" + segments;
    }
}
