package dev.rendezvous.streams.config;

import dev.rendezvous.streams.room.RoomMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The room processor's outcomes as one Micrometer counter, {@code rendezvous.room.outcomes{outcome=…}}
 * ({@code rendezvous_room_outcomes_total} in Prometheus). Counters are registered up front, so every
 * outcome shows (at 0) from the start and counting is a map lookup.
 */
final class MicrometerRoomMetrics implements RoomMetrics {

    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

    MicrometerRoomMetrics(MeterRegistry registry) {
        for (Outcome o : Outcome.values()) {
            counters.put(o, Counter.builder("rendezvous.room.outcomes")
                    .description("What the room processor did with its inputs")
                    .tag("outcome", o.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    @Override
    public void count(Outcome outcome) {
        counters.get(outcome).increment();
    }

    @Override
    public void count(Outcome outcome, int n) {
        counters.get(outcome).increment(n);
    }
}
