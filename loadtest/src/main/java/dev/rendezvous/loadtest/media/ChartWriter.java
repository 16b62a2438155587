package dev.rendezvous.loadtest.media;

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
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A scatter chart of the forwarder's egress packets/s (y) against its CPU in % of one core (x): one point per
 * second of each run, one colour per run. Drawn with java.awt on a headless {@link BufferedImage} so the
 * tool needs no charting library and no display. The straight line through the origin a run's points lie on
 * is its packets per core-second; points bending away from it show where the forwarder stops scaling.
 */
public final class ChartWriter {

    private static final int W = 900;
    private static final int H = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 250;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0x17becf)};

    private ChartWriter() {
    }

    /** One series: a run's label and its per-second points. */
    public record Series(String label, List<RunResult.Point> points) {}

    /**
     * Writes the PNG. {@code packetThread}: plot the packet thread's CPU (in-process, where the JVM's CPU is
     * mostly the clients') instead of the whole forwarder JVM's.
     */
    public static void write(Path file, String title, List<Series> series, boolean packetThread) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            double maxX = 1;
            double maxY = 1;
            for (Series s : series) {
                for (RunResult.Point p : s.points()) {
                    maxX = Math.max(maxX, x(p, packetThread));
                    maxY = Math.max(maxY, p.ppsOut());
                }
            }
            maxX = niceCeiling(maxX * 1.05);
            maxY = niceCeiling(maxY * 1.05);
            int pw = W - LEFT - RIGHT;
            int ph = H - TOP - BOTTOM;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i <= 5; i++) {
                int px = LEFT + pw * i / 5;
                int py = TOP + ph - ph * i / 5;
                g.setColor(new Color(0xE0E0E0));
                g.drawLine(px, TOP, px, TOP + ph);
                g.drawLine(LEFT, py, LEFT + pw, py);
                g.setColor(Color.DARK_GRAY);
                String xl = label(maxX * i / 5);
                g.drawString(xl, px - fm.stringWidth(xl) / 2, TOP + ph + 18);
                String yl = label(maxY * i / 5);
                g.drawString(yl, LEFT - 8 - fm.stringWidth(yl), py + 4);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, pw, ph);
            String xTitle = packetThread ? "forwarder packet-thread CPU, % of one core" : "forwarder CPU (whole JVM), % of one core";
            g.drawString(xTitle, LEFT + pw / 2 - fm.stringWidth(xTitle) / 2, H - 18);
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.rotate(-Math.PI / 2);
            rotated.drawString("egress packets/s", -(TOP + ph / 2) - fm.stringWidth("egress packets/s") / 2, 22);
            rotated.dispose();
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, LEFT, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setStroke(new BasicStroke(1.2f));
            for (int s = 0; s < series.size(); s++) {
                Color c = COLORS[s % COLORS.length];
                g.setColor(c);
                for (RunResult.Point p : series.get(s).points()) {
                    double xv = x(p, packetThread);
                    if (Double.isNaN(xv) || Double.isNaN(p.ppsOut())) {
                        continue;
                    }
                    int px = LEFT + (int) Math.round(pw * Math.max(0, xv) / maxX);
                    int py = TOP + ph - (int) Math.round(ph * Math.max(0, p.ppsOut()) / maxY);
                    g.fillOval(px - 4, py - 4, 8, 8);
                }
                int ly = TOP + 10 + s * 20;
                g.fillOval(LEFT + pw + 16, ly - 4, 8, 8);
                g.setColor(Color.BLACK);
                g.drawString(series.get(s).label(), LEFT + pw + 30, ly + 4);
            }
        } finally {
            g.dispose();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    private static double x(RunResult.Point p, boolean packetThread) {
        return packetThread ? p.packetThreadPct() : p.cpuPct();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    static double niceCeiling(double v) {
        double pow = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * pow >= v) {
                return m * pow;
            }
        }
        return 10 * pow;
    }

    private static String label(double v) {
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1000);
        }
        return v >= 10 || v == 0 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
