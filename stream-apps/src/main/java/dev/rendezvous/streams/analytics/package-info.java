/**
 * Analytics in ClickHouse: the typed events of {@code analytics.event.recorded} copied into day-partitioned
 * ReplacingMergeTree tables ({@link dev.rendezvous.streams.analytics.AnalyticsSchema}), at least once and idempotent
 * (duplicates share an event id and queries count each id once), and the figures a meeting's report reads back
 * ({@link dev.rendezvous.streams.analytics.MeetingAnalyticsQuery}). ClickHouse is reached only through
 * {@link dev.rendezvous.streams.analytics.ClickHouseSql} (HTTP, JSONEachRow both ways: the one format that the 2018
 * server of Debian and modern servers both speak with client-v2).
 */
package dev.rendezvous.streams.analytics;
