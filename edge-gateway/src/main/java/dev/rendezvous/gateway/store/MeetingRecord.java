package dev.rendezvous.gateway.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code meetings}, with the host's display name when it was joined in.
 *
 * @param startsAt        the scheduled start, or null for a meeting that was not scheduled (it is "now")
 * @param maxParticipants the host's cap on people in the meeting, or null for the server's
 */
public record MeetingRecord(
        UUID id, String code, String title, UUID hostId, String hostName, boolean lobby, Instant createdAt,
        Instant endedAt, Instant startsAt, boolean muteOnEntry, boolean allowGuests, Integer maxParticipants) {

    /** A meeting with the defaults of the settings added on 2026-12-05 (no schedule, guests allowed, no cap). */
    public MeetingRecord(UUID id, String code, String title, UUID hostId, String hostName, boolean lobby,
                         Instant createdAt, Instant endedAt) {
        this(id, code, title, hostId, hostName, lobby, createdAt, endedAt, null, false, true, null);
    }

    /** When the meeting is (or was) meant to happen: its scheduled start, else its creation. */
    public Instant at() {
        return startsAt != null ? startsAt : createdAt;
    }
}
