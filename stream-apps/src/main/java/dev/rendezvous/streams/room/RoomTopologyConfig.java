package dev.rendezvous.streams.room;

import dev.rendezvous.streams.placement.PlacementPolicy;
import java.util.Objects;

/**
 * What the room topology needs to know, and nothing about how it is run.
 *
 * @param maxChatLength longest accepted chat text, in Unicode code points (an emoji counts as one)
 * @param dedupWindow   how many recent clientMsgIds per meeting are remembered to drop client retries
 * @param metrics       where outcomes are counted
 * @param placement     how rooms are placed on media forwarders
 */
public record RoomTopologyConfig(int maxChatLength, int dedupWindow, RoomMetrics metrics, PlacementPolicy placement) {

    public static final int DEFAULT_MAX_CHAT_LENGTH = 2000;
    public static final int DEFAULT_DEDUP_WINDOW = 256;

    public RoomTopologyConfig {
        if (maxChatLength < 1) {
            throw new IllegalArgumentException("maxChatLength must be at least 1, was " + maxChatLength);
        }
        if (dedupWindow < 1) {
            throw new IllegalArgumentException("dedupWindow must be at least 1, was " + dedupWindow);
        }
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(placement, "placement");
    }

    /** With the default placement policy. */
    public RoomTopologyConfig(int maxChatLength, int dedupWindow, RoomMetrics metrics) {
        this(maxChatLength, dedupWindow, metrics, PlacementPolicy.defaults());
    }

    public static RoomTopologyConfig defaults() {
        return new RoomTopologyConfig(DEFAULT_MAX_CHAT_LENGTH, DEFAULT_DEDUP_WINDOW, RoomMetrics.none());
    }

    public RoomTopologyConfig withMetrics(RoomMetrics m) {
        return new RoomTopologyConfig(maxChatLength, dedupWindow, m, placement);
    }

    public RoomTopologyConfig withPlacement(PlacementPolicy p) {
        return new RoomTopologyConfig(maxChatLength, dedupWindow, metrics, p);
    }
}
