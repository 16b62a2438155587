package dev.rendezvous.streams.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code rendezvous.clickhouse.*}: the analytics store. Accepted but not used yet: analytics events are
 * published to {@code analytics.event.recorded}; the ClickHouse sink is not written.
 *
 * @param url ClickHouse HTTP URL, e.g. {@code http://127.0.0.1:18123}; empty = analytics stay on Kafka only
 */
@ConfigurationProperties("rendezvous.clickhouse")
public record ClickHouseProperties(String url) {}
