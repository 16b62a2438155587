package dev.rendezvous.loadtest.media;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus text exposition format, read just far enough for a load tool: one sample per line,
 * {@code name{label="value",…} number}, comments skipped. Label values may hold escaped quotes and commas.
 * Kept separate from the HTTP scraping so that it can be checked on fixed text.
 */
public final class PrometheusText {

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Sample s = parseLine(line);
            if (s != null) {
                out.add(s);
            }
        }
        return new PrometheusText(out);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The sum of every sample of {@code name} whose labels include all of {@code match}; NaN when none. */
    public double sum(String name, Map<String, String> match) {
        double total = 0;
        boolean any = false;
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().entrySet().containsAll(match.entrySet())) {
                total += s.value();
                any = true;
            }
        }
        return any ? total : Double.NaN;
    }

    public double sum(String name) {
        return sum(name, Map.of());
    }

    /** The largest sample of {@code name}; NaN when none. */
    public double max(String name) {
        double m = Double.NaN;
        for (Sample s : samples) {
            if (s.name().equals(name) && (Double.isNaN(m) || s.value() > m)) {
                m = s.value();
            }
        }
        return m;
    }

    /** Every sample of {@code name} keyed by the values of {@code labels}, joined with {@code ,}. */
    public Map<String, Double> byLabels(String name, String... labels) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            StringBuilder key = new StringBuilder();
            for (String l : labels) {
                if (key.length() > 0) {
                    key.append(',');
                }
                key.append(s.labels().getOrDefault(l, ""));
            }
            out.merge(key.toString(), s.value(), Double::sum);
        }
        return out;
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            rest = readLabels(line, brace + 1, labels);
            if (rest < 0) {
                return null;
            }
        } else {
            if (space < 0) {
                return null;
            }
            name = line.substring(0, space);
            rest = space;
        }
        String[] tail = line.substring(rest).strip().split("\\s+");
        if (tail.length == 0 || tail[0].isEmpty()) {
            return null;
        }
        try {
            return new Sample(name, labels, parseValue(tail[0]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reads {@code a="x",b="y"}} from {@code i}; returns the index after the closing brace, or -1. */
    private static int readLabels(String line, int i, Map<String, String> labels) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i + 1;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                return -1;
            }
            String key = line.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < line.length(); j++) {
                char v = line.charAt(j);
                if (v == '\\' && j + 1 < line.length()) {
                    char n = line.charAt(++j);
                    value.append(n == 'n' ? '\n' : n);
                } else if (v == '"') {
                    break;
                } else {
                    value.append(v);
                }
            }
            if (j >= line.length()) {
                return -1;
            }
            labels.put(key, value.toString());
            i = j + 1;
        }
        return -1;
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }
}
