package dev.rendezvous.gateway.store;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code meetings}, with the host's display name when it was joined in. */
public record MeetingRecord(
        UUID id, String code, String title, UUID hostId, String hostName, boolean lobby, Instant createdAt,
        Instant endedAt) {}
