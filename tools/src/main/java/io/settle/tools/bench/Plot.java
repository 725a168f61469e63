package io.settle.tools.bench;

import javax.imageio.ImageIO;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A line chart drawn with Java2D and written as PNG: the bench's plots, with no extra library. */
final class Plot {
    private static final Color[] COLORS = {
        new Color(0x1f77b4),
        new Color(0xd62728),
        new Color(0x2ca02c),
        new Color(0xff7f0e),
        new Color(0x9467bd),
        new Color(0x8c564b),
        new Color(0x17becf),
    };

    private record Line(String label, List<double[]> points) {}

    private record Marker(double x, String label) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Line> lines = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private boolean logY;

    Plot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    Plot line(String label, List<double[]> points) {
        List<double[]> finite = new ArrayList<>();
        for (double[] p : points) {
            if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                finite.add(p);
            }
        }
        lines.add(new Line(label, finite));
        return this;
    }

    /** A dashed vertical line at {@code x}, e.g. where a live step starts. */
    Plot marker(double x, String label) {
        markers.add(new Marker(x, label));
        return this;
    }

    Plot logY() {
        this.logY = true;
        return this;
    }

    boolean isEmpty() {
        return lines.stream().allMatch(l -> l.points().isEmpty());
    }

    void write(Path png) throws IOException {
        int width = 1000;
        int height = 500;
        int left = 90;
        int right = 20;
        int top = 40;
        int bottom = 80;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = 0;
        double minY = Double.MAX_VALUE;
        for (Line l : lines) {
            for (double[] p : l.points()) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
                if (p[1] > 0) {
                    minY = Math.min(minY, p[1]);
                }
            }
        }
        for (Marker m : markers) {
            minX = Math.min(minX, m.x());
            maxX = Math.max(maxX, m.x());
        }
        if (minX > maxX) {
            minX = 0;
            maxX = 1;
        }
        if (minX > 0 && minX < 0.2 * maxX) {
            minX = 0; // time axes start at the start
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        double lowY = 0;
        double highY = niceCeiling(maxY <= 0 ? 1 : maxY * 1.05);
        if (logY) {
            lowY = Math.floor(Math.log10(minY == Double.MAX_VALUE ? 1 : minY));
            highY = Math.ceil(Math.log10(Math.max(maxY, 10)));
            if (highY <= lowY) {
                highY = lowY + 1;
            }
        }
        int plotW = width - left - right;
        int plotH = height - top - bottom;

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, left, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();

        // Grid and y ticks.
        int ticks = logY ? (int) (highY - lowY) : 5;
        for (int i = 0; i <= ticks; i++) {
            double v = lowY + (highY - lowY) * i / ticks;
            int y = top + plotH - (int) Math.round(plotH * (double) i / ticks);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(left, y, left + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String label = logY ? tick(Math.pow(10, v)) : tick(v);
            g.drawString(label, left - 8 - fm.stringWidth(label), y + 4);
        }
        // X ticks.
        for (int i = 0; i <= 10; i++) {
            double v = minX + (maxX - minX) * i / 10;
            int x = left + (int) Math.round(plotW * i / 10.0);
            g.setColor(new Color(0xf0f0f0));
            g.drawLine(x, top, x, top + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = tick(v);
            g.drawString(label, x - fm.stringWidth(label) / 2, top + plotH + 16);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, plotW, plotH);
        g.drawString(xLabel, left + plotW / 2 - fm.stringWidth(xLabel) / 2, top + plotH + 34);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(top + plotH / 2 + fm.stringWidth(yLabel) / 2), 16);
        rotated.dispose();

        // Markers.
        g.setStroke(
                new BasicStroke(
                        1f,
                        BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER,
                        10f,
                        new float[] {5f, 5f},
                        0f));
        for (Marker m : markers) {
            int x = left + (int) Math.round(plotW * (m.x() - minX) / (maxX - minX));
            if (x < left || x > left + plotW) {
                continue;
            }
            g.setColor(Color.GRAY);
            g.drawLine(x, top, x, top + plotH);
            g.drawString(m.label(), x + 3, top + 14);
        }

        // Lines.
        g.setStroke(new BasicStroke(2f));
        for (int li = 0; li < lines.size(); li++) {
            Line l = lines.get(li);
            g.setColor(COLORS[li % COLORS.length]);
            int[] prev = null;
            for (double[] p : l.points()) {
                double yv = logY ? (p[1] > 0 ? Math.log10(p[1]) : lowY) : p[1];
                int x = left + (int) Math.round(plotW * (p[0] - minX) / (maxX - minX));
                int y = top + plotH - (int) Math.round(plotH * (yv - lowY) / (highY - lowY));
                y = Math.max(top, Math.min(top + plotH, y));
                if (prev != null) {
                    g.drawLine(prev[0], prev[1], x, y);
                } else if (l.points().size() == 1) {
                    g.fillOval(x - 3, y - 3, 6, 6);
                }
                prev = new int[] {x, y};
            }
        }
        // Legend, below the x label.
        int lx = left;
        int ly = height - 18;
        for (int li = 0; li < lines.size(); li++) {
            g.setColor(COLORS[li % COLORS.length]);
            g.fillRect(lx, ly - 9, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(lines.get(li).label(), lx + 24, ly - 3);
            lx += 34 + fm.stringWidth(lines.get(li).label());
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code v}. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    static String tick(double v) {
        double a = Math.abs(v);
        if (a >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", v / 1_000_000);
        }
        if (a >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1_000);
        }
        if (a >= 1_000) {
            return String.format(Locale.ROOT, "%.1fk", v / 1_000);
        }
        if (a >= 10 || a == 0) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
