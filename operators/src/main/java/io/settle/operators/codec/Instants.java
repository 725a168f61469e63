package io.settle.operators.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Fast paths for instants. Formatting: {@link #format} writes what {@code Instant.toString()}
 * writes, without {@code DateTimeFormatter}. Parsing: the fast path of instant parsing: the one
 * shape producers send, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)}, read without {@code
 * DateTimeFormatter}. Anything else, valid or not, returns {@code null} and goes to the full
 * ISO-8601 parser, which gives the same instant (checked by a property test) or the error message.
 */
final class Instants {
    private Instants() {}

    private static final int MAX_OFFSET_SECONDS = 18 * 3600;

    /** The instant {@code s} denotes when it has the common shape and valid fields, else null. */
    static Instant parseCommon(String s) {
        int n = s.length();
        if (n < 20 || n > 35) {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0
                || month < 0
                || day < 0
                || hour < 0
                || minute < 0
                || second < 0
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || hour > 23
                || minute > 59
                || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0 || (i < n && isDigit(s.charAt(i)))) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6
                && (s.charAt(i) == '+' || s.charAt(i) == '-')
                && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || om < 0 || om > 59) {
                return null;
            }
            offsetSeconds = oh * 3600 + om * 60;
            if (offsetSeconds > MAX_OFFSET_SECONDS) {
                return null;
            }
            if (s.charAt(i) == '-') {
                offsetSeconds = -offsetSeconds;
            }
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // no such day: the full parser says so
        }
        long seconds = epochDay * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static final long FAST_FORMAT_FROM =
            Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long FAST_FORMAT_TO =
            Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    /**
     * Exactly {@code t.toString()}: UTC, seconds always, the fraction in groups of three digits as
     * far as needed. Years 0001-9999 take the fast path; others go to {@code toString()}.
     */
    static String format(Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds < FAST_FORMAT_FROM || seconds > FAST_FORMAT_TO) {
            return t.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86400));
        int secondOfDay = (int) Math.floorMod(seconds, 86400);
        int nano = t.getNano();
        char[] out = new char[30];
        put(out, 0, date.getYear(), 4);
        out[4] = '-';
        put(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        put(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        put(out, 17, secondOfDay % 60, 2);
        int n = 19;
        if (nano > 0) {
            out[n++] = '.';
            if (nano % 1_000_000 == 0) {
                put(out, n, nano / 1_000_000, 3);
                n += 3;
            } else if (nano % 1_000 == 0) {
                put(out, n, nano / 1_000, 6);
                n += 6;
            } else {
                put(out, n, nano, 9);
                n += 9;
            }
        }
        out[n++] = 'Z';
        return new String(out, 0, n);
    }

    /** {@code value} as {@code width} decimal digits, zero-padded, at {@code at}. */
    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
