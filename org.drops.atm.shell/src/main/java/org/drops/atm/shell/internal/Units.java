package org.drops.atm.shell.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drops.atm.api.qos.CellRates;

/**
 * Parsing of the shell's numeric arguments and formatting of rates. Every parse failure is an
 * {@link IllegalArgumentException} whose message says what was expected ({@link Args} adds which argument).
 */
public final class Units {

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)([kKmMgG]?)(bps|pps|b/s|B/s)");
    private static final Pattern SECONDS = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?");

    private Units() {
    }

    /** A whole number at least 1: a count of SDUs or PDUs. */
    public static long count(String text) {
        long n;
        try {
            n = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1");
        }
        return n;
    }

    /** An SDU size in bytes, 0..65535 (the largest AAL5 SDU). */
    public static int sduBytes(String text) {
        int n;
        try {
            n = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number of bytes");
        }
        if (n < 0 || n > 65535) {
            throw new IllegalArgumentException("an AAL5 SDU has 0..65535 bytes");
        }
        return n;
    }

    /** A duration: {@code 10} or {@code 10s} seconds, {@code 500ms}, {@code 2m}; more than 0, at most a day. */
    public static long nanos(String text) {
        Matcher m = SECONDS.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration (10, 10s, 500ms or 2m)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanos = value * switch (unit) {
            case "ms" -> 1e6;
            case "m" -> 60e9;
            default -> 1e9;
        };
        if (nanos < 1e6) {
            throw new IllegalArgumentException("must be at least 1 ms");
        }
        if (nanos > 86_400e9) {
            throw new IllegalArgumentException("must be at most a day");
        }
        return (long) nanos;
    }

    /**
     * An offered rate: {@code 10Mbps} (SDU payload bits per second, with k/M/G as powers of 1000) or
     * {@code 500pps} (SDUs per second). Returns SDUs per second for SDUs of {@code sduBytes}.
     */
    public static double sdusPerSecond(String text, int sduBytes) {
        Matcher m = RATE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a rate: give a unit, as in 10Mbps, 800kbps or 500pps");
        }
        double value = Double.parseDouble(m.group(1));
        double multiplier = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "g" -> 1e9;
            default -> 1;
        };
        double rate = value * multiplier;
        if (!(rate > 0)) {
            throw new IllegalArgumentException("must be more than 0");
        }
        String unit = m.group(3);
        if (unit.equals("pps")) {
            return rate;
        }
        double bitsPerSdu = unit.equals("B/s") ? sduBytes : sduBytes * 8.0;
        if (bitsPerSdu == 0) {
            throw new IllegalArgumentException("a bit rate needs SDUs of at least 1 byte; give pps");
        }
        return rate / bitsPerSdu;
    }

    /** Mbit/s with two decimals: {@code 40.00}. */
    public static String mbps(double bitsPerSecond) {
        return String.format(Locale.ROOT, "%.2f", bitsPerSecond / 1e6);
    }

    /** A cell rate rounded to whole cells per second. */
    public static String cps(double cellsPerSecond) {
        if (Double.isInfinite(cellsPerSecond)) {
            return "unpaced";
        }
        return String.format(Locale.ROOT, "%.0f", cellsPerSecond);
    }

    /** The bit rate of cells on the line (53 bytes each), in Mbit/s. */
    public static String lineMbps(double cellsPerSecond) {
        if (Double.isInfinite(cellsPerSecond)) {
            return "unpaced";
        }
        return mbps(CellRates.lineBitsPerSecond(cellsPerSecond));
    }

    /** Seconds with three decimals: {@code 2.003}. */
    public static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    /** A fraction as a percentage with one decimal. */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }
}
