package dev.rendezvous.forwarder.media;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The packet path's counters, one per (stage, outcome): every stage counts what it passed on and, by reason,
 * what it dropped (CONVENTIONS: a stage that drops a packet counts why). Counters are created when the engine
 * is built, so counting on the hot path is one {@link LongAdder#increment()}; the metrics side lists them
 * for Prometheus ({@code rendezvous_forwarder_stage_packets_total{stage,outcome}}).
 */
public final class StageCounters {

    /** One counter. */
    public record Counter(String stage, String outcome, LongAdder adder) {
        public void increment() {
            adder.increment();
        }

        public long value() {
            return adder.sum();
        }
    }

    private final List<Counter> all = Collections.synchronizedList(new ArrayList<>());

    public Counter counter(String stage, String outcome) {
        Counter c = new Counter(stage, outcome, new LongAdder());
        all.add(c);
        return c;
    }

    public List<Counter> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    public long value(String stage, String outcome) {
        long v = 0;
        for (Counter c : all()) {
            if (c.stage().equals(stage) && c.outcome().equals(outcome)) {
                v += c.value();
            }
        }
        return v;
    }
}
