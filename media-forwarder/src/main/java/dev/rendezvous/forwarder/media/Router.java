package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.rtp.ActiveSpeakerDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A meeting on this forwarder: its peers, the routing table (each producer's consumers) and who speaks.
 *
 * <p>Control changes take this object's monitor ({@code …Locked} methods expect it held); the packet thread
 * reads {@link #peers} and each producer's consumer row, arrays replaced whole, without locking.
 */
final class Router {

    final String meetingId;
    final Map<String, Peer> bySocket = new LinkedHashMap<>();
    volatile Peer[] peers = new Peer[0];
    final ActiveSpeakerDetector speakers = new ActiveSpeakerDetector(Duration.ofMillis(1000), Duration.ofMillis(1500));
    volatile String speaker;
    /** The room's recording tap while it records (the packet thread copies forwarded packets into it). */
    volatile RecordingCapture.Tap recording;

    Router(String meetingId) {
        this.meetingId = meetingId;
    }

    void addPeerLocked(Peer p) {
        bySocket.put(p.socketId, p);
        peers = bySocket.values().toArray(new Peer[0]);
    }

    void removePeerLocked(Peer p) {
        bySocket.remove(p.socketId, p);
        peers = bySocket.values().toArray(new Peer[0]);
        speakers.remove(p.socketId);
    }

    /** Every producer of the room that is open, except those of {@code except}. */
    List<Producer> producersExceptLocked(Peer except) {
        List<Producer> out = new ArrayList<>();
        for (Peer o : bySocket.values()) {
            if (o == except) {
                continue;
            }
            for (Producer p : o.producers) {
                if (!p.closed) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Adds a consumer to its producer's row and to its subscriber's list. */
    void attachLocked(Consumer c) {
        Consumer[] row = c.producer.consumers;
        Consumer[] grown = Arrays.copyOf(row, row.length + 1);
        grown[row.length] = c;
        c.producer.consumers = grown;
        Consumer[] mine = c.subscriber.consumers;
        Consumer[] more = Arrays.copyOf(mine, mine.length + 1);
        more[mine.length] = c;
        c.subscriber.consumers = more;
    }

    /** Closes a consumer and takes it out of the table. */
    void detachLocked(Consumer c) {
        c.closed = true;
        c.producer.consumers = without(c.producer.consumers, c);
        c.subscriber.consumers = without(c.subscriber.consumers, c);
    }

    private static Consumer[] without(Consumer[] a, Consumer c) {
        int n = 0;
        Consumer[] out = new Consumer[a.length];
        for (Consumer x : a) {
            if (x != c) {
                out[n++] = x;
            }
        }
        return n == a.length ? a : Arrays.copyOf(out, n);
    }
}
