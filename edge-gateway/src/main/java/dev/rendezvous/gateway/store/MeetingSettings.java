package dev.rendezvous.gateway.store;

import java.time.Instant;

/**
 * What a host chooses when creating a meeting (already validated by the web layer).
 *
 * @param startsAt        scheduled start, or null
 * @param maxParticipants cap on people in the meeting, or null for the server's
 */
public record MeetingSettings(Instant startsAt, boolean lobby, boolean muteOnEntry, boolean allowGuests,
                              Integer maxParticipants) {

    /** An unscheduled meeting without lobby, guests allowed, no cap of its own. */
    public static MeetingSettings defaults() {
        return new MeetingSettings(null, false, false, true, null);
    }
}
