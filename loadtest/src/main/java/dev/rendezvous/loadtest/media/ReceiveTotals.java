package dev.rendezvous.loadtest.media;

import dev.rendezvous.webrtc.stats.ClientStats;
import dev.rendezvous.webrtc.stats.TrackStats;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What all receivers together had received at one moment: the client side of a run, measured like the
 * forwarder's side as the difference of two of these.
 *
 * @param packets       RTP packets received, all remote tracks of all clients (retransmissions included)
 * @param bytes         their payload bytes
 * @param lost          packets missing by sequence number (RFC 3550 A.3), all tracks
 * @param sentPackets   RTP packets the clients sent
 * @param jitterMeanMs  mean RFC 3550 jitter over the tracks that received anything
 * @param jitterMaxMs   the largest track jitter
 * @param pairs         (receiver, sender) pairs with at least one packet: who hears whom
 * @param connected     clients whose publish and subscribe connections are both up
 */
public record ReceiveTotals(long packets, long bytes, long lost, long sentPackets, double jitterMeanMs,
                            double jitterMaxMs, long pairs, int connected) {

    /**
     * @param maxSenders how many others a receiver can hear at most (its room's size − 1): a place that joined
     *                   again is a new socket, and a receiver that heard both the old and the new one counts once
     */
    public static ReceiveTotals of(List<ClientStats> clients, int maxSenders) {
        long packets = 0;
        long bytes = 0;
        long lost = 0;
        long sent = 0;
        double jitterSum = 0;
        double jitterMax = 0;
        int jitterN = 0;
        long pairs = 0;
        int connected = 0;
        for (ClientStats c : clients) {
            sent += c.sent().audioPackets() + c.sent().videoPackets();
            if (c.publishConnected() && c.subscribeConnected()) {
                connected++;
            }
            Set<String> heard = new HashSet<>();
            for (TrackStats t : c.received()) {
                packets += t.packets();
                bytes += t.bytes();
                lost += t.lost();
                if (t.packets() > 0) {
                    heard.add(t.socketId());
                    jitterSum += t.jitterMs();
                    jitterMax = Math.max(jitterMax, t.jitterMs());
                    jitterN++;
                }
            }
            pairs += Math.min(heard.size(), maxSenders);
        }
        return new ReceiveTotals(packets, bytes, lost, sent, jitterN == 0 ? 0 : jitterSum / jitterN, jitterMax, pairs,
                connected);
    }

    /**
     * Join → first media of one client, in ms from its start: its earliest first packet from anyone; -1 when
     * nothing arrived.
     */
    public static long firstMediaMillis(ClientStats c) {
        long best = -1;
        for (TrackStats t : c.received()) {
            if (t.firstMediaMillis() >= 0 && (best < 0 || t.firstMediaMillis() < best)) {
                best = t.firstMediaMillis();
            }
        }
        return best;
    }

    /** Loss in percent of what was expected between {@code before} and this. */
    public double lossPercentSince(ReceiveTotals before) {
        long got = packets - before.packets;
        long lostNow = Math.max(0, lost - before.lost);
        return got + lostNow == 0 ? 0 : 100.0 * lostNow / (got + lostNow);
    }
}
