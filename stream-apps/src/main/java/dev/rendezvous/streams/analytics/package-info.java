/**
 * The analytics sink: the typed events of {@code analytics.event.recorded} and {@code media.quality.sampled}, and the
 * accepted chat messages of {@code chat.message.accepted} as {@code chat_sent} events ({@link AcceptedChatDecoder}), copied
 * into ClickHouse's day-partitioned ReplacingMergeTree tables (schema, rows and the ClickHouse client are in the
 * {@code analytics-store} module, shared with the gateway that reads a meeting's figures), at least once and
 * idempotent: duplicates share an event id and every query counts each id once.
 */
package dev.rendezvous.streams.analytics;
