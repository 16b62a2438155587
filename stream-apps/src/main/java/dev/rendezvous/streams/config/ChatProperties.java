package dev.rendezvous.streams.config;

import dev.rendezvous.streams.room.RoomMetrics;
import dev.rendezvous.streams.room.RoomTopologyConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.chat.*}: chat rules of the room processor.
 *
 * @param maxLength   longest accepted message, in characters (Unicode code points)
 * @param dedupWindow recent clientMsgIds remembered per meeting to drop client retries
 */
@ConfigurationProperties("rendezvous.chat")
public record ChatProperties(
        @DefaultValue("2000") int maxLength,
        @DefaultValue("256") int dedupWindow) {

    public ChatProperties {
        if (maxLength < 1) {
            throw new IllegalArgumentException("rendezvous.chat.max-length must be at least 1");
        }
        if (dedupWindow < 1) {
            throw new IllegalArgumentException("rendezvous.chat.dedup-window must be at least 1");
        }
    }

    RoomTopologyConfig topologyConfig(RoomMetrics metrics) {
        return new RoomTopologyConfig(maxLength, dedupWindow, metrics);
    }
}
