package dev.rendezvous.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.clickhouse.*}: where stream-apps' analytics sink writes (the same keys stream-apps takes); the
 * gateway reads a meeting's figures from there for its host. Without a URL analytics are off (503 {@code analytics_off}).
 *
 * @param url               ClickHouse HTTP URL, e.g. {@code http://127.0.0.1:18123}; empty = analytics off
 * @param database          the database of the analytics tables
 * @param username          ClickHouse user
 * @param password          its password (never logged)
 * @param compressResponses keep false for ClickHouse 18.16 (its response compression is broken)
 * @param timeout           the longest one query may take (the request answers 503 after it)
 */
@ConfigurationProperties("rendezvous.clickhouse")
public record AnalyticsSettings(
        String url,
        @DefaultValue("default") String database,
        @DefaultValue("default") String username,
        String password,
        @DefaultValue("false") boolean compressResponses,
        @DefaultValue("PT1.8S") Duration timeout) {

    public AnalyticsSettings {
        url = url == null || url.isBlank() ? null : url.strip();
        password = password == null ? "" : password;
        if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("rendezvous.clickhouse.url must be an http(s) URL: " + url);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("rendezvous.clickhouse.timeout must be positive");
        }
    }

    public boolean enabled() {
        return url != null;
    }

    @Override
    public String toString() {   // never the password
        return "AnalyticsSettings[url=" + url + ", database=" + database + ", username=" + username + "]";
    }
}
