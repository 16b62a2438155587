/**
 * The analytics tables in ClickHouse, shared by their writer (stream-apps' sink) and their reader (the gateway's
 * meeting analytics): {@link dev.rendezvous.analytics.AnalyticsSchema} (versioned migrations),
 * {@link dev.rendezvous.analytics.AnalyticsRows} (events → JSONEachRow rows), {@link dev.rendezvous.analytics.MeetingFacts}
 * (a meeting's facts read back, each event id counted once) and the one way to ClickHouse,
 * {@link dev.rendezvous.analytics.ClickHouseSql} (HTTP with client-v2, JSONEachRow both ways: the format that
 * Debian's 18.16 and modern servers both speak).
 */
package dev.rendezvous.analytics;
