package io.settle.report;

import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * The report's charts as inline SVG, drawn here so the page needs nothing from the network: stacked
 * bars with a line over them, lines against a threshold, and horizontal bars. Every chart scales to
 * its container (a viewBox) and carries a title for screen readers.
 */
final class Svg {
    private Svg() {}

    static final int WIDTH = 1000;

    /** Horizontal bars sit in half a page: a narrower drawing keeps their text readable. */
    static final int BARS_WIDTH = 520;

    /** A series of values, one per x position; a null is a gap (lines only). */
    record Series(String name, String color, Long[] values) {}

    /** One horizontal bar. */
    record Bar(String name, long value, String color) {}

    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 44;

    /** Bars stacked per x position, and a line with dots over them. */
    static String stackedBars(
            String id, String title, List<String> x, List<Series> stacks, Series line, int height) {
        int n = x.size();
        long max = 1;
        for (int i = 0; i < n; i++) {
            long sum = 0;
            for (Series s : stacks) {
                sum += value(s, i);
            }
            max = Math.max(max, Math.max(sum, line == null ? 0 : value(line, i)));
        }
        long step = niceStep(max, 5);
        long top = ((max + step - 1) / step) * step;
        StringBuilder b = open(id, title, height);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = height - TOP - BOTTOM;
        yAxis(b, top, step, height, v -> Formats.count(v));
        double slot = plotW / Math.max(n, 1);
        double barW = Math.max(1, slot * 0.72);
        for (int i = 0; i < n; i++) {
            double cx = LEFT + slot * i + slot / 2;
            double base = TOP + plotH;
            StringBuilder tip = new StringBuilder(x.get(i));
            for (Series s : stacks) {
                long v = value(s, i);
                tip.append("\n").append(s.name()).append(": ").append(Formats.count(v));
                if (v == 0) {
                    continue;
                }
                double h = plotH * v / top;
                base -= h;
                b.append(
                        String.format(
                                Locale.ROOT,
                                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                                cx - barW / 2,
                                base,
                                barW,
                                h,
                                s.color()));
            }
            if (line != null) {
                tip.append("\n")
                        .append(line.name())
                        .append(": ")
                        .append(Formats.count(value(line, i)));
            }
            // an invisible full-height target carries the tooltip
            b.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"transparent\"><title>%s</title></rect>",
                            cx - slot / 2,
                            TOP,
                            slot,
                            plotH,
                            ReportPage.esc(tip.toString())));
        }
        if (line != null) {
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < n; i++) {
                double cx = LEFT + slot * i + slot / 2;
                double y = TOP + plotH - plotH * value(line, i) / top;
                path.append(i == 0 ? "M" : " L")
                        .append(String.format(Locale.ROOT, "%.1f %.1f", cx, y));
            }
            if (n > 0) {
                b.append("<path d=\"")
                        .append(path)
                        .append("\" fill=\"none\" stroke=\"")
                        .append(line.color())
                        .append("\" stroke-width=\"2.5\"/>");
            }
        }
        xLabels(b, x, height, slot);
        return b.append("</svg>").toString();
    }

    /** Lines per x position (gaps where null), and a dashed threshold line. */
    static String lines(
            String id,
            String title,
            List<String> x,
            List<Series> lines,
            long threshold,
            String thresholdLabel,
            int height) {
        int n = x.size();
        long max = threshold;
        for (Series s : lines) {
            for (Long v : s.values()) {
                if (v != null) {
                    max = Math.max(max, v);
                }
            }
        }
        long step = niceDurationStep(max);
        long top = ((max + step - 1) / step) * step;
        if (top == max) {
            top += step;
        }
        StringBuilder b = open(id, title, height);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = height - TOP - BOTTOM;
        final long yTop = top;
        yAxis(b, top, step, height, Formats::shortDuration);
        double slot = plotW / Math.max(n, 1);
        double ty = TOP + plotH - plotH * threshold / yTop;
        b.append(
                String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
                                + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"threshold\">%s</text>",
                        LEFT,
                        WIDTH - RIGHT,
                        ty,
                        ty,
                        WIDTH - RIGHT - 4,
                        ty - 5,
                        ReportPage.esc(thresholdLabel)));
        for (Series s : lines) {
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < n; i++) {
                Long v = s.values()[i];
                if (v == null) {
                    pen = false;
                    continue;
                }
                double cx = LEFT + slot * i + slot / 2;
                double y = TOP + plotH - plotH * v / yTop;
                path.append(pen ? " L" : " M")
                        .append(String.format(Locale.ROOT, "%.1f %.1f", cx, y));
                pen = true;
                b.append(
                        String.format(
                                Locale.ROOT,
                                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s %s: %s</title></circle>",
                                cx,
                                y,
                                s.color(),
                                ReportPage.esc(x.get(i)),
                                ReportPage.esc(s.name()),
                                Formats.duration(v)));
            }
            if (path.length() > 0) {
                b.append("<path d=\"")
                        .append(path.toString().trim())
                        .append("\" fill=\"none\" stroke=\"")
                        .append(s.color())
                        .append("\" stroke-width=\"2\"/>");
            }
        }
        xLabels(b, x, height, slot);
        return b.append("</svg>").toString();
    }

    /** One bar a row, the name on the left and the value at the bar's end. */
    static String horizontalBars(String id, String title, List<Bar> bars) {
        int row = 26;
        int labelW = 170;
        int width = BARS_WIDTH;
        int height = TOP + row * bars.size() + 8;
        long max = 1;
        for (Bar bar : bars) {
            max = Math.max(max, bar.value());
        }
        StringBuilder b = open(id, title, width, height);
        double plotW = width - labelW - 60;
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double y = TOP + row * i;
            double w = bar.value() == 0 ? 0 : Math.max(2, plotW * bar.value() / max);
            b.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"label\">%s</text>"
                                    + "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"2\" fill=\"%s\"><title>%s: %s</title></rect>"
                                    + "<text x=\"%.1f\" y=\"%.1f\" class=\"value\">%s</text>",
                            labelW - 8,
                            y + row / 2.0 + 4,
                            ReportPage.esc(bar.name()),
                            labelW,
                            y + 4,
                            w,
                            row - 8,
                            bar.color(),
                            ReportPage.esc(bar.name()),
                            Formats.count(bar.value()),
                            labelW + w + 6,
                            y + row / 2.0 + 4,
                            Formats.count(bar.value())));
        }
        return b.append("</svg>").toString();
    }

    private static StringBuilder open(String id, String title, int height) {
        return open(id, title, WIDTH, height);
    }

    private static StringBuilder open(String id, String title, int width, int height) {
        StringBuilder b = new StringBuilder(4096);
        b.append(
                String.format(
                        Locale.ROOT,
                        "<svg class=\"chart\" id=\"%s\" role=\"img\" aria-label=\"%s\" viewBox=\"0 0 %d %d\" preserveAspectRatio=\"xMidYMid meet\" xmlns=\"http://www.w3.org/2000/svg\"><title>%s</title>",
                        ReportPage.esc(id),
                        ReportPage.esc(title),
                        width,
                        height,
                        ReportPage.esc(title)));
        return b;
    }

    private static void yAxis(
            StringBuilder b, long top, long step, int height, LongFunction<String> label) {
        double plotH = height - TOP - BOTTOM;
        for (long v = 0; v <= top; v += step) {
            double y = TOP + plotH - plotH * v / top;
            b.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"tick\">%s</text>",
                            LEFT,
                            WIDTH - RIGHT,
                            y,
                            y,
                            LEFT - 6,
                            y + 4,
                            ReportPage.esc(label.apply(v))));
        }
    }

    private static void xLabels(StringBuilder b, List<String> x, int height, double slot) {
        int every = Math.max(1, (int) Math.ceil(x.size() / 14.0));
        for (int i = 0; i < x.size(); i += every) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">%s</text>",
                            LEFT + slot * i + slot / 2,
                            height - BOTTOM + 18,
                            ReportPage.esc(x.get(i))));
        }
    }

    private static long value(Series s, int i) {
        Long v = s.values()[i];
        return v == null ? 0 : v;
    }

    /** 1, 2 or 5 times a power of ten, so that about {@code ticks} steps reach {@code max}. */
    static long niceStep(long max, int ticks) {
        double raw = Math.max(1.0, (double) max / ticks);
        long pow = 1;
        while (pow * 10 <= raw) {
            pow *= 10;
        }
        for (long m : new long[] {1, 2, 5, 10}) {
            if (pow * m >= raw) {
                return pow * m;
            }
        }
        return pow * 10;
    }

    /** A step on the clock: seconds, minutes or hours that people read at a glance. */
    static long niceDurationStep(long maxMs) {
        long[] steps = {
            1_000,
            5_000,
            10_000,
            15_000,
            30_000,
            60_000,
            2 * 60_000,
            5 * 60_000,
            10 * 60_000,
            15 * 60_000,
            30 * 60_000,
            3_600_000,
            2 * 3_600_000,
            3 * 3_600_000,
            6 * 3_600_000,
            12 * 3_600_000,
            24 * 3_600_000
        };
        for (long s : steps) {
            if (maxMs / s <= 6) {
                return s;
            }
        }
        return niceStep(maxMs / 86_400_000, 6) * 86_400_000;
    }
}
