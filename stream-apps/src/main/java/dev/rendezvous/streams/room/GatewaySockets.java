package dev.rendezvous.streams.room;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Value of the {@code gateway-sockets} store (key: gateway id, NUL, meeting id): the sockets that gateway asked to
 * join the meeting with, and when (the JOIN record's timestamp, which is the gateway's clock), until their LEAVE.
 * Immutable.
 */
public record GatewaySockets(Map<String, Long> joinedAt) {

    public GatewaySockets {
        joinedAt = joinedAt == null ? Map.of() : Map.copyOf(joinedAt);
    }

    public GatewaySockets with(String socketId, long at) {
        Map<String, Long> m = new LinkedHashMap<>(joinedAt);
        m.put(socketId, at);
        return new GatewaySockets(m);
    }

    public GatewaySockets without(String socketId) {
        Map<String, Long> m = new LinkedHashMap<>(joinedAt);
        m.remove(socketId);
        return new GatewaySockets(m);
    }

    /** The sockets that joined before {@code cutoff}, oldest first (then by id, for a stable order). */
    public List<String> joinedBefore(long cutoff) {
        List<Map.Entry<String, Long>> l = new ArrayList<>(joinedAt.entrySet());
        l.removeIf(e -> e.getValue() >= cutoff);
        l.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())));
        return l.stream().map(Map.Entry::getKey).toList();
    }

    public boolean isEmpty() {
        return joinedAt.isEmpty();
    }
}
