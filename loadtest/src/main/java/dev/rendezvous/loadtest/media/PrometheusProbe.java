package dev.rendezvous.loadtest.media;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The forwarder of a running stack, read from its actuator's Prometheus endpoint (management port, loopback in
 * the all-in-one run). Whole-JVM CPU is Micrometer's {@code process_cpu_time_ns_total} (exact, cumulative),
 * not {@code process_cpu_usage} (a recent average the JVM computes on its own schedule).
 */
public final class PrometheusProbe implements ForwarderProbe {

    private final HttpClient http;
    private final URI uri;

    public PrometheusProbe(HttpClient http, String url) {
        this.http = http;
        this.uri = URI.create(url);
    }

    @Override
    public ForwarderSample sample() {
        String body;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode() + " from " + uri);
            }
            body = r.body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the forwarder's metrics at " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return fromText(body, System.nanoTime());
    }

    /** The sample a scrape's text stands for (taken at {@code nanos}). */
    static ForwarderSample fromText(String text, long nanos) {
        PrometheusText p = PrometheusText.parse(text);
        double cpu = p.sum("process_cpu_time_ns_total");
        double thread = p.sum("rendezvous_forwarder_packet_thread_cpu_seconds_total");
        return new ForwarderSample(nanos, p.sum("rendezvous_forwarder_udp_packets_in_total"),
                p.sum("rendezvous_forwarder_udp_packets_out_total"), cpu,
                Double.isNaN(thread) ? -1 : thread * 1e9, p.sum("jvm_memory_used_bytes", Map.of("area", "heap")),
                p.sum("jvm_gc_pause_seconds_count"), p.sum("jvm_gc_pause_seconds_sum"),
                p.max("jvm_gc_pause_seconds_max"),
                p.sum("rendezvous_forwarder_load", Map.of("figure", "bitrate_out_bps")),
                p.sum("rendezvous_forwarder_load", Map.of("figure", "participants")),
                p.byLabels("rendezvous_forwarder_stage_packets_total", "stage", "outcome"));
    }

    @Override
    public String describe() {
        return "the forwarder's Prometheus endpoint " + uri + " (CPU = its whole JVM, `process_cpu_time_ns_total`;"
                + " packet thread = `rendezvous_forwarder_packet_thread_cpu_seconds_total`)";
    }
}
