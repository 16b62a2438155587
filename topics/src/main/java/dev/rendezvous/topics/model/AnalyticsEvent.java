package dev.rendezvous.topics.model;

import java.time.Instant;
import java.util.Map;

/** A fact for the analytics store (topic {@code analytics.event.recorded}, key = meeting id). */
public record AnalyticsEvent(String type, String meetingId, String participantId, Instant at, Map<String, String> attributes) {

    public AnalyticsEvent {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
