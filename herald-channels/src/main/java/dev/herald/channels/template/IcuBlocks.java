package dev.herald.channels.template;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.ULocale;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets a template mix Pebble with ICU MessageFormat: every {@code {name, plural|select|selectordinal, …}}
 * block in the source (braces balanced) is cut out and replaced by a call of the {@code icu}
 * function with its index, which formats it with ICU4J in the render's locale. So authors write
 * the ICU syntax they know ({@code {count, plural, one {# new comment} other {# new comments}}})
 * next to {@code {{ name }}}, and the block's output is escaped in HTML like any other value.
 */
final class IcuBlocks {
    /** The function the rewritten source calls, and the context variable holding the blocks. */
    static final String FUNCTION = "icu";
    static final String CONTEXT_KEY = "__icu_blocks";
    private static final Pattern START = Pattern.compile("\\{\\s*[A-Za-z_][A-Za-z0-9_]*\\s*,\\s*(plural|select|selectordinal)\\s*,");

    private IcuBlocks() {}

    /** A source with its ICU blocks replaced by calls, and the blocks in call order. */
    record Split(String pebble, List<String> blocks) {}

    /** @throws IllegalArgumentException when a block's braces do not close, or ICU refuses a block */
    static Split split(String source) {
        List<String> blocks = new ArrayList<>();
        StringBuilder out = new StringBuilder(source.length());
        Matcher m = START.matcher(source);
        int from = 0;
        while (from < source.length() && m.find(from)) {
            int start = m.start();
            int end = closing(source, start);
            String block = source.substring(start, end + 1);
            new MessageFormat(block, ULocale.ENGLISH); // parses now: a broken block is refused when the template is saved
            out.append(source, from, start).append("{{ ").append(FUNCTION).append('(').append(blocks.size()).append(") }}");
            blocks.add(block);
            from = end + 1;
        }
        out.append(source, Math.min(from, source.length()), source.length());
        return new Split(out.toString(), List.copyOf(blocks));
    }

    private static int closing(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        throw new IllegalArgumentException("an ICU block opened at offset " + open + " is not closed");
    }

    /** Formats one block with the render's variables (JSON numbers are numbers, so plural rules apply). */
    static String format(String block, Locale locale, Map<String, Object> variables) {
        return new MessageFormat(block, ULocale.forLocale(locale)).format(variables);
    }
}
