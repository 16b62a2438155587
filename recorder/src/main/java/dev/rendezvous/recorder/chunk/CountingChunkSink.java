package dev.rendezvous.recorder.chunk;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * The sink until recordings are assembled: counts chunks and bytes per recording
 * ({@code rendezvous.recorder.chunks{recording}}, {@code rendezvous.recorder.chunk.bytes{recording}}) and
 * keeps nothing else.
 *
 * <p>A tag per recording grows without bound in a long-lived process, so the meters of a recording that
 * received nothing for {@code idleExpiry} are removed by {@link #evictIdle()} (the composition root calls it
 * periodically); a recording that resumes starts counting from zero again.
 */
public final class CountingChunkSink implements ChunkSink {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration idleExpiry;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

    private record Tally(Counter chunks, Counter bytes, Instant lastSeen) {}

    public CountingChunkSink(MeterRegistry registry, Clock clock, Duration idleExpiry) {
        this.registry = registry;
        this.clock = clock;
        this.idleExpiry = idleExpiry;
    }

    @Override
    public Mono<Void> accept(Chunk chunk) {
        return Mono.fromRunnable(() -> count(chunk));
    }

    private void count(Chunk chunk) {
        Instant now = clock.instant();
        Tally t = tallies.compute(chunk.recordingId(), (id, old) -> old == null
                ? new Tally(
                        Counter.builder("rendezvous.recorder.chunks").description("chunks received, per recording")
                                .tag("recording", id).register(registry),
                        Counter.builder("rendezvous.recorder.chunk.bytes").description("chunk bytes received, per recording")
                                .baseUnit("bytes").tag("recording", id).register(registry),
                        now)
                : new Tally(old.chunks(), old.bytes(), now));
        t.chunks().increment();
        t.bytes().increment(chunk.size());
    }

    /** Chunks counted for this recording since its meters were (re)created; 0 if none. */
    public double chunks(String recordingId) {
        Tally t = tallies.get(recordingId);
        return t == null ? 0 : t.chunks().count();
    }

    /** Bytes counted for this recording since its meters were (re)created; 0 if none. */
    public double bytes(String recordingId) {
        Tally t = tallies.get(recordingId);
        return t == null ? 0 : t.bytes().count();
    }

    /** Removes the meters of recordings idle for longer than the expiry; returns how many. */
    public int evictIdle() {
        Instant cutoff = clock.instant().minus(idleExpiry);
        int[] removed = {0};
        tallies.forEach((id, t) -> {
            if (t.lastSeen().isBefore(cutoff) && tallies.remove(id, t)) {
                registry.remove(t.chunks());
                registry.remove(t.bytes());
                removed[0]++;
            }
        });
        return removed[0];
    }
}
