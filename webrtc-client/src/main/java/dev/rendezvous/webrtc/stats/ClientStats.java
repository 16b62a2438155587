package dev.rendezvous.webrtc.stats;

import java.util.List;

/**
 * One client's figures at one moment: its connections' states, what it sent, and one {@link TrackStats} per
 * remote track it was offered. The queries sum over a sender's tracks of one kind, since a renegotiation can
 * give the same sender a new m-section.
 */
public record ClientStats(String socketId, boolean publishConnected, boolean subscribeConnected, SendStats sent,
                          List<TrackStats> received) {

    public ClientStats {
        received = List.copyOf(received);
    }

    /** The tracks of {@code kind} ({@code audio}/{@code video}) sent by socket {@code from}. */
    public List<TrackStats> from(String from, String kind) {
        return received.stream().filter(t -> from.equals(t.socketId()) && kind.equals(t.kind())).toList();
    }

    /** Packets received of {@code kind} from socket {@code from}. */
    public long packetsFrom(String from, String kind) {
        return from(from, kind).stream().mapToLong(TrackStats::packets).sum();
    }

    /** Keyframes received from socket {@code from}. */
    public long keyframesFrom(String from) {
        return from(from, "video").stream().mapToLong(TrackStats::keyframes).sum();
    }

    /** Retransmissions received, all tracks. */
    public long retransmissions() {
        return received.stream().mapToLong(TrackStats::retransmissions).sum();
    }

    /** Sequence numbers NACKed, all tracks. */
    public long nacksSent() {
        return received.stream().mapToLong(TrackStats::nacksSent).sum();
    }
}
