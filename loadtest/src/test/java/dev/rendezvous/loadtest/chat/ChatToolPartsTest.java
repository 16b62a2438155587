package dev.rendezvous.loadtest.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatToolPartsTest {

    @Test
    void countsChatErrorsButNotTheMediaErrorsOfSocketsWithoutMedia() throws Exception {
        tools.jackson.databind.ObjectMapper json = new tools.jackson.databind.ObjectMapper();
        assertThat(GatewayChatPath.isChatError(json.readTree(
                "{\"type\":\"error\",\"error\":\"subscribe_timeout\",\"ref\":\"subscribe\"}"))).isFalse();
        assertThat(GatewayChatPath.isChatError(json.readTree("{\"type\":\"error\",\"error\":\"x\",\"ref\":\"media\"}"))).isFalse();
        assertThat(GatewayChatPath.isChatError(json.readTree(
                "{\"type\":\"error\",\"error\":\"rate_limited\",\"ref\":\"c-17\"}"))).isTrue();
        assertThat(GatewayChatPath.isChatError(json.readTree("{\"type\":\"error\",\"error\":\"unavailable\"}"))).isTrue();
    }

    @Test
    void logsOnlyTheMessagesAtOrAboveTheThresholdWithWhenTheyWereDueAndTheirTimeBeforeTheGateway(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("slow.tsv");
        Inflight inflight = new Inflight();
        try (SlowLog log = SlowLog.open(file, 10)) {
            inflight.slowLog(log.run("rendezvous", 1000));
            long due = System.nanoTime();
            java.time.Instant dueAt = java.time.Instant.now();
            inflight.sent("fast", due);
            inflight.sent("slow", due);
            inflight.sent("bare", due);
            inflight.received("fast", due + 9_000_000L, dueAt.plusMillis(3).toString());
            inflight.received("slow", due + 25_000_000L, dueAt.plusMillis(2).toString());
            inflight.received("bare", due + 12_500_000L);
            inflight.received("slow", due + 90_000_000L, dueAt.toString());   // not awaited any more: no second line
        }
        List<String> lines = java.nio.file.Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("due_utc\tpath\trate\tlatency_ms\ttoGateway_ms");
        String[] slow = lines.get(1).split("\t", -1);
        assertThat(java.time.Instant.parse(slow[0]).toEpochMilli()).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(60_000L));
        assertThat(slow).extracting(c -> c).containsSubsequence("rendezvous", "1000", "25.00");
        assertThat(Double.parseDouble(slow[4])).isBetween(0.0, 4.0);   // ~2 ms, give or take the clocks' read
        assertThat(lines.get(2).split("\t", -1)).containsExactly(lines.get(2).split("\t", -1)[0], "rendezvous", "1000",
                "12.50", "");
        // a second run appends under the same header
        try (SlowLog log = SlowLog.open(file, 10)) {
            log.run("bare", 3000).message(System.nanoTime(), 11_000_000L, "not a time");
        }
        assertThat(java.nio.file.Files.readAllLines(file)).hasSize(4).last().asString().contains("\tbare\t3000\t11.00\t");
    }

    @Test
    void readsUserAndSystemTimeAndTheParentAfterACommandNameWithSpacesAndParentheses() {
        String line = "4242 (java (main) x) S 17 4242 4242 0 -1 4194560 120 0 0 0 350 25 3 1 20 0 40 0 100 1 2 3";
        ProcessCpu.Stat s = ProcessCpu.parse(line);
        assertThat(s.ppid()).isEqualTo(17);
        assertThat(s.ticks()).isEqualTo(375);
        assertThat(ProcessCpu.parse("garbage")).isNull();
    }

    @Test
    void sumsThisProcessTreeFromProc() {
        long self = ProcessHandle.current().pid();
        ProcessCpu cpu = new ProcessCpu(Map.of("me", self, "gone", Long.MAX_VALUE));
        double before = cpu.sampleMs().get("me");
        double after = before;
        long x = 0;
        // busy until this process's CPU time grows (10 ms ticks), within a deadline
        for (long end = System.nanoTime() + 10_000_000_000L; after <= before && System.nanoTime() < end; ) {
            for (int i = 0; i < 1_000_000; i++) {
                x += System.nanoTime() % 7;
            }
            after = cpu.sampleMs().get("me");
        }
        assertThat(x).isPositive();
        assertThat(after).isGreaterThan(before);
        assertThat(cpu.sampleMs().get("gone")).isZero();
    }

    @Test
    void takesPidsAndTheBrokerFromTheLaunchersStatus() {
        String json = """
                Rendezvous at http://127.0.0.1:8080
                {"processes": [
                  {"name": "kafka", "kind": "kafka", "id": null, "pid": 4720, "health": "UP",
                   "ports": {"kafka": 19092, "controller": 19093}},
                  {"name": "edge-gateway", "kind": "gateway", "id": "gw-1", "pid": 4801, "health": "UP", "ports": {}},
                  {"name": "recorder", "kind": "recorder", "id": null, "pid": null, "health": "STOPPED", "ports": {}}
                ]}""";
        StackProcesses s = StackProcesses.parse(json);
        assertThat(s.bootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(s.pids()).containsExactly(Map.entry("kafka", 4720L), Map.entry("edge-gateway", 4801L));
        assertThat(StackProcesses.parse("no stack runs")).isEqualTo(StackProcesses.NONE);
    }

    @Test
    void reportsOurPercentilesAsARatioToBareKafkaAtTheSameRateAndReplacesOnlyItsSection() {
        RunResult ours = result("Rendezvous path", 1000, 20, Map.of("edge-gateway", 0.5, "kafka", 0.25));
        RunResult bare = result("bare Kafka path", 1000, 10, Map.of("kafka", 0.125));
        String section = new ChatReport(100, Duration.ofSeconds(60), Duration.ofSeconds(5),
                List.of("edge-gateway", "kafka")).section(List.of(ours, bare), 0.3, IdleCpu.between(Duration.ofSeconds(30),
                        6.5, Map.of("kafka", 1000.0, "edge-gateway", 2000.0), Map.of("kafka", 2500.0, "edge-gateway", 2600.0)));
        assertThat(section).startsWith(ChatReport.BEGIN).endsWith(ChatReport.END + "\n")
                .contains("| 1000 | Rendezvous | 1000 | 1000 | 0 | 0 | 20.00 | 20.00 |")
                .contains("| 2.00 | 2.00 |")               // 20 ms ÷ 10 ms
                .contains("| 1000 | Rendezvous | 0.500 | 0.250 | 0.750 |")
                .contains("| 1000 | bare Kafka | 0.000 | 0.125 | 0.125 |")
                // 1,500 ms and 600 ms of CPU in 30 s: 5 % and 2 % of one core
                .contains("machine CPU 6.5 %").contains("kafka 5.0").contains("edge-gateway 2.0").contains("(total 7.0 % of one core)");
        String doc = "# B\n\nbefore\n" + ChatReport.BEGIN + "\nold\n" + ChatReport.END + "\nafter\n";
        assertThat(ChatReport.replaceSection(doc, "NEW\n")).isEqualTo("# B\n\nbefore\nNEW\nafter\n");
        assertThat(ChatReport.replaceSection("# B\n", "NEW\n")).isEqualTo("# B\n\nNEW\n");
    }

    @Test
    void keepsTheTailOfEachTenSecondSlotBySendTimeFromTheFirstMessageAfterAReset() {
        Inflight f = new Inflight();
        f.sent("old", 0);
        f.reset();
        long t0 = 5_000_000_000L;
        for (int i = 0; i < 100; i++) {             // slot 0: 1 ms each; slot 2: 1 ms, and two of 500 ms
            f.sent("a" + i, t0 + i);
            f.received("a" + i, t0 + i + 1_000_000);
            long at = t0 + 2 * Inflight.SLOT_NANOS + i;
            f.sent("c" + i, at);
            f.received("c" + i, at + (i >= 98 ? 500_000_000 : 1_000_000));
        }
        f.received("c0", t0 + 99 * Inflight.SLOT_NANOS);   // a duplicate: counted once

        Inflight.Tally t = f.tally();
        assertThat(t.delivered()).isEqualTo(200);
        assertThat(t.slots()).hasSize(3);
        assertThat(t.slots().get(1).getTotalCount()).isZero();
        RunResult r = new RunResult("Rendezvous path", 20, 20, 200, t, 50, Map.of());
        assertThat(r.p99PerSlot()).isEqualTo("1.0 · – · 500.2");
        assertThat(new ChatReport(1, Duration.ofSeconds(30), Duration.ZERO, List.of()).section(List.of(r), 0.1, null))
                .contains("p99 in each 10-s slot").contains("| 20 | Rendezvous | 1.0 · – · 500.2 |");
    }

    private static RunResult result(String path, int rate, long latencyMs, Map<String, Double> cpu) {
        Inflight f = new Inflight();
        for (int i = 0; i < rate; i++) {
            f.sent("m" + i, 0);
            f.received("m" + i, latencyMs * 1_000_000);
        }
        return new RunResult(path, rate, rate, rate, f.tally(), 50, cpu);
    }
}
