package dev.rendezvous.gateway.shared;

import java.time.Duration;
import reactor.core.publisher.Mono;

/** Named counters that expire, shared by the gateways (the in-process implementation: this gateway only). */
public interface RateCounters {

    /**
     * Adds {@code delta} to the counter {@code key} (created at 0 when absent) and answers the new value; the
     * counter then lives {@code ttl} from this write.
     */
    Mono<Long> add(String key, long delta, Duration ttl);

    /** The counter's value; 0 when it does not exist or has expired. */
    Mono<Long> get(String key);
}
