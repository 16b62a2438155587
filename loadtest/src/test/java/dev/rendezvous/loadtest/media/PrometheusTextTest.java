package dev.rendezvous.loadtest.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String SCRAPE = """
            # HELP process_cpu_time_ns_total The "cpu time" used by the Java Virtual Machine process
            # TYPE process_cpu_time_ns_total counter
            process_cpu_time_ns_total 1.421E10
            process_cpu_usage 0.0522875816993464
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 3.670016E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 1.7314304E7
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.0E7
            jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 2
            jvm_gc_pause_seconds_sum{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 0.045
            jvm_gc_pause_seconds_count{action="end of minor GC",cause="Metadata GC Threshold",gc="G1 Young Generation"} 1
            jvm_gc_pause_seconds_sum{action="end of minor GC",cause="Metadata GC Threshold",gc="G1 Young Generation"} 0.006
            jvm_gc_pause_seconds_max{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 0.023
            jvm_gc_pause_seconds_max{action="end of minor GC",cause="Metadata GC Threshold",gc="G1 Young Generation"} 0.006
            rendezvous_forwarder_load{figure="bitrate_out_bps"} 1960000.0
            rendezvous_forwarder_load{figure="participants"} 6.0
            rendezvous_forwarder_packet_thread_cpu_seconds_total 2.5
            rendezvous_forwarder_stage_packets_total{outcome="sent",stage="fan-out"} 793.0
            rendezvous_forwarder_stage_packets_total{outcome="answered",stage="ice"} 4.0
            rendezvous_forwarder_udp_packets_in_total 419.0
            rendezvous_forwarder_udp_packets_out_total 827.0
            odd_labels{path="a\\"b,c",x="y"} 7 1700000000000
            """;

    @Test
    void sumsSamplesWhoseLabelsMatch() {
        PrometheusText p = PrometheusText.parse(SCRAPE);
        assertThat(p.sum("jvm_memory_used_bytes", Map.of("area", "heap"))).isEqualTo(3.670016E7 + 1.7314304E7);
        assertThat(p.sum("jvm_gc_pause_seconds_count")).isEqualTo(3);
        assertThat(p.max("jvm_gc_pause_seconds_max")).isEqualTo(0.023);
        assertThat(p.sum("absent_metric")).isNaN();
    }

    @Test
    void readsEscapedQuotesAndCommasInLabelValuesAndIgnoresTimestamps() {
        PrometheusText p = PrometheusText.parse(SCRAPE);
        assertThat(p.sum("odd_labels", Map.of("path", "a\"b,c", "x", "y"))).isEqualTo(7);
    }

    @Test
    void probeTurnsAScrapeIntoTheForwardersCumulativeFigures() {
        ForwarderSample s = PrometheusProbe.fromText(SCRAPE, 42);
        assertThat(s.nanos()).isEqualTo(42);
        assertThat(s.cpuNanos()).isEqualTo(1.421E10);
        assertThat(s.packetThreadNanos()).isEqualTo(2.5e9);
        assertThat(s.packetsIn()).isEqualTo(419);
        assertThat(s.packetsOut()).isEqualTo(827);
        assertThat(s.gcPauseSeconds()).isEqualTo(0.051, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.bitrateOutBps()).isEqualTo(1_960_000);
        assertThat(s.participants()).isEqualTo(6);
        assertThat(s.stages()).containsEntry("fan-out,sent", 793.0).containsEntry("ice,answered", 4.0);
    }

    @Test
    void aForwarderWithoutThePacketThreadCounterReportsItUnknown() {
        ForwarderSample s = PrometheusProbe.fromText("process_cpu_time_ns_total 5\n", 0);
        assertThat(s.packetThreadNanos()).isEqualTo(-1);
        assertThat(s.packetsOut()).isNaN();
    }
}
