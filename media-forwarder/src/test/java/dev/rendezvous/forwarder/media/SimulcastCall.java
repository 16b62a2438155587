package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.PacketHarness.Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A call on a simulated clock around a real {@link MediaEngine} (see {@link PacketHarness#simulatedTime}): synthetic
 * publishers ({@link SyntheticPublisher}) send into the real packet path, subscribers ({@link SimulatedSubscriber})
 * receive what it sends through their own downlinks and answer with transport-wide feedback, and the engine's
 * once-a-second work (layer rates, each page's allocation) runs every simulated second. Time moves in steps of
 * {@value #STEP_MS} ms; within a step the order is: publishers' packets, feedback reaching the forwarder, the
 * timer when due, then what the forwarder sent goes on the subscribers' links and the publishers read its keyframe
 * requests, and the subscribers' clocks move on. Nothing waits on real time.
 */
final class SimulcastCall implements AutoCloseable {

    static final long STEP_MS = 1;
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;

    final PacketHarness h;
    final List<SyntheticPublisher> publishers = new ArrayList<>();
    final List<SimulatedSubscriber> subscribers = new ArrayList<>();
    /** Pages whose forwarder output is read and dropped each step (no link modelled). */
    private final List<Client> drained = new ArrayList<>();
    private long now;
    private long nextTimerNanos;

    SimulcastCall() throws Exception {
        h = PacketHarness.simulatedTime(Duration.ofMinutes(30));
    }

    /**
     * Answers every subscribe offer still waiting, until none waits (an answer may be followed by a newer offer):
     * an offer left unanswered would be sent again, then its connection dropped, within the simulated minutes.
     */
    void answerAll(List<Client> clients) {
        for (int round = 0; round < 5; round++) {
            boolean answered = false;
            for (Client c : clients) {
                Peer p = h.peer(c.socketId);
                if (p != null && p.session.awaitingAnswer) {
                    c.answer();
                    answered = true;
                }
            }
            if (!answered) {
                return;
            }
        }
        throw new IllegalStateException("subscribe offers keep coming after five rounds of answers");
    }

    /** Starts the simulated clock after the joins (which moved it a millisecond per datagram). */
    void start() {
        now = h.now + MS;
        nextTimerNanos = now + SECOND;
    }

    long now() {
        return now;
    }

    SyntheticPublisher publish(Client c, boolean simulcast, long keyframeIntervalNanos, long seed) {
        SyntheticPublisher p = new SyntheticPublisher(h, c, simulcast, keyframeIntervalNanos, now, seed);
        publishers.add(p);
        return p;
    }

    SimulatedSubscriber receive(Client c, TokenBucketShaper<SimulatedSubscriber.Packet> shaper, long oneWayNanos) {
        SimulatedSubscriber s = new SimulatedSubscriber(h, c, shaper, oneWayNanos, now);
        subscribers.add(s);
        return s;
    }

    /** A page whose received packets are not followed: its output is taken and dropped each step. */
    void drain(Client c) {
        drained.add(c);
    }

    /** Runs the call until the clock reaches {@code untilNanos}. */
    void runUntil(long untilNanos) {
        while (now < untilNanos) {
            step(now);
            now += STEP_MS * MS;
        }
    }

    /** Runs for {@code nanos} more. */
    void runFor(long nanos) {
        runUntil(now + nanos);
    }

    private void step(long t) {
        for (SyntheticPublisher p : publishers) {
            p.sendDue(t);
        }
        for (SimulatedSubscriber s : subscribers) {
            s.deliverReturn(t);
        }
        if (t >= nextTimerNanos) {
            h.runTimersAt(t);
            nextTimerNanos += SECOND;
        }
        for (SimulatedSubscriber s : subscribers) {
            s.takeFromForwarder(t);
        }
        for (Client c : drained) {
            h.io.take(c.subscribeAddress);
        }
        for (SyntheticPublisher p : publishers) {
            p.readRequests();
        }
        for (SimulatedSubscriber s : subscribers) {
            s.advance(t);
        }
    }

    @Override
    public void close() {
        h.close();
    }
}
