package dev.rendezvous.streams.room;

import dev.rendezvous.streams.placement.PlacementPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * What the room topology needs to know, and nothing about how it is run.
 *
 * @param maxChatLength     longest accepted chat text, in Unicode code points (an emoji counts as one)
 * @param dedupWindow       how many recent clientMsgIds per meeting are remembered to drop client retries
 * @param metrics           where outcomes are counted
 * @param placement         how rooms are placed on media forwarders
 * @param maxSocketsPerRoom hard ceiling of sockets in one room, whatever the meeting's own maxParticipants says
 *                          (every socket is a store entry and a line of the room's membership and joined records)
 * @param chatHistory       where a room without a chat window reads the newest stored messages to rebuild it
 * @param failover          when a silent forwarder's rooms move to their standbys
 * @param controlSweep      how long the control record of a room nobody is in (host, co-hosts, lock, removals, ended)
 *                          is kept after its last change, and how the store is walked to forget it ({@link ControlSweep})
 */
public record RoomTopologyConfig(int maxChatLength, int dedupWindow, RoomMetrics metrics, PlacementPolicy placement,
                                 int maxSocketsPerRoom, ChatHistory chatHistory, FailoverSettings failover,
                                 ControlSweep.Settings controlSweep) {

    public static final int DEFAULT_MAX_CHAT_LENGTH = 2000;
    public static final int DEFAULT_DEDUP_WINDOW = 256;
    public static final int DEFAULT_MAX_SOCKETS_PER_ROOM = 1000;

    public RoomTopologyConfig {
        if (maxChatLength < 1) {
            throw new IllegalArgumentException("maxChatLength must be at least 1, was " + maxChatLength);
        }
        if (dedupWindow < 1) {
            throw new IllegalArgumentException("dedupWindow must be at least 1, was " + dedupWindow);
        }
        if (maxSocketsPerRoom < 1) {
            throw new IllegalArgumentException("maxSocketsPerRoom must be at least 1, was " + maxSocketsPerRoom);
        }
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(chatHistory, "chatHistory");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(controlSweep, "controlSweep");
    }

    /** With the default failover settings. */
    public RoomTopologyConfig(int maxChatLength, int dedupWindow, RoomMetrics metrics, PlacementPolicy placement,
                              int maxSocketsPerRoom, ChatHistory chatHistory) {
        this(maxChatLength, dedupWindow, metrics, placement, maxSocketsPerRoom, chatHistory, FailoverSettings.defaults(),
                ControlSweep.Settings.defaults());
    }

    /** With the default placement policy, socket ceiling and no chat history. */
    public RoomTopologyConfig(int maxChatLength, int dedupWindow, RoomMetrics metrics) {
        this(maxChatLength, dedupWindow, metrics, PlacementPolicy.defaults());
    }

    /** With the default socket ceiling and no chat history. */
    public RoomTopologyConfig(int maxChatLength, int dedupWindow, RoomMetrics metrics, PlacementPolicy placement) {
        this(maxChatLength, dedupWindow, metrics, placement, DEFAULT_MAX_SOCKETS_PER_ROOM, ChatHistory.none());
    }

    public static RoomTopologyConfig defaults() {
        return new RoomTopologyConfig(DEFAULT_MAX_CHAT_LENGTH, DEFAULT_DEDUP_WINDOW, RoomMetrics.none());
    }

    public RoomTopologyConfig withMetrics(RoomMetrics m) {
        return new RoomTopologyConfig(maxChatLength, dedupWindow, m, placement, maxSocketsPerRoom,
                chatHistory, failover, controlSweep);
    }

    public RoomTopologyConfig withPlacement(PlacementPolicy p) {
        return new RoomTopologyConfig(maxChatLength, dedupWindow, metrics, p, maxSocketsPerRoom,
                chatHistory, failover, controlSweep);
    }

    public RoomTopologyConfig withMaxSocketsPerRoom(int max) {
        return new RoomTopologyConfig(maxChatLength, dedupWindow, metrics, placement, max,
                chatHistory, failover, controlSweep);
    }

    public RoomTopologyConfig withChatHistory(ChatHistory h) {
        return new RoomTopologyConfig(maxChatLength, dedupWindow, metrics, placement, maxSocketsPerRoom,
                h, failover, controlSweep);
    }

    public RoomTopologyConfig withControlRetention(Duration d) {
        return withControlSweep(controlSweep.withRetention(d));
    }

    /** The sweep's limits (only the retention is an app setting: {@link #withControlRetention}). */
    RoomTopologyConfig withControlSweep(ControlSweep.Settings c) {
        return new RoomTopologyConfig(maxChatLength, dedupWindow, metrics, placement, maxSocketsPerRoom,
                chatHistory, failover, c);
    }

    public RoomTopologyConfig withFailover(FailoverSettings f) {
        return new RoomTopologyConfig(maxChatLength, dedupWindow, metrics, placement, maxSocketsPerRoom,
                chatHistory, f, controlSweep);
    }
}
