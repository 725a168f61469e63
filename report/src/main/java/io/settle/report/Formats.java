package io.settle.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the report writes numbers, durations and instants for people. */
public final class Formats {
    private Formats() {}

    private static final DateTimeFormatter DAY_TIME =
            DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ENGLISH)
                    .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHORT =
            DateTimeFormatter.ofPattern("d MMM HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_HOUR =
            DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** 12,345. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** 99.734%: a decimal as given, with a percent sign. */
    public static String percent(BigDecimal p) {
        return p.toPlainString() + "%";
    }

    /** A latency for people: 850 ms, 42 s, 12 min 5 s, 2 h 3 min, 1 d 2 h. */
    public static String duration(long ms) {
        if (ms < 0) {
            return "-" + duration(-ms);
        }
        if (ms < 1_000) {
            return ms + " ms";
        }
        long s = ms / 1_000;
        if (s < 60) {
            return s + " s";
        }
        long m = s / 60;
        if (m < 60) {
            return m + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        long h = m / 60;
        if (h < 24) {
            return h + " h" + (m % 60 == 0 ? "" : " " + m % 60 + " min");
        }
        return h / 24 + " d" + (h % 24 == 0 ? "" : " " + h % 24 + " h");
    }

    /** A round duration, short: 45s, 30m, 2h, 2h30m, 1d. */
    public static String shortDuration(long ms) {
        if (ms == 0) {
            return "0";
        }
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms >= 3_600_000) {
            long m = ms / 60_000;
            return m / 60 + "h" + (m % 60 == 0 ? "" : m % 60 + "m");
        }
        if (ms >= 60_000) {
            long s = ms / 1_000;
            return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        }
        return ms % 1_000 == 0 ? ms / 1_000 + "s" : ms + "ms";
    }

    /** 25 Nov 07:00:44, for tables. */
    public static String shortInstant(String isoInstant) {
        return isoInstant == null ? "-" : SHORT.format(Instant.parse(isoInstant));
    }

    /** 25 Nov 2026 07:00 UTC. */
    public static String dayTime(String isoInstant) {
        return isoInstant == null ? "-" : DAY_TIME.format(Instant.parse(isoInstant)) + " UTC";
    }

    /** 07:00, or 25 Nov 07:00 when the report spans days. */
    public static String hour(String isoInstant, boolean withDay) {
        Instant t = Instant.parse(isoInstant);
        return withDay ? DAY_HOUR.format(t) : TIME.format(t);
    }
}
