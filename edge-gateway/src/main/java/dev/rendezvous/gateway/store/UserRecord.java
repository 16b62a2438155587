package dev.rendezvous.gateway.store;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code users}. */
public record UserRecord(UUID id, String email, String passwordHash, String displayName, Instant createdAt) {}
