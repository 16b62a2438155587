package dev.rendezvous.loadtest.media;

import dev.rendezvous.forwarder.media.MediaConfig;
import dev.rendezvous.forwarder.media.MediaEngine;
import dev.rendezvous.webrtc.signaling.InProcessForwarder;
import dev.rendezvous.webrtc.signaling.Signaling;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@link MediaEngine} in this JVM on an ephemeral loopback port, signaled by method calls: quick runs
 * without the stack, and the forwarder's cost without Kafka or the gateway around it. Its participant limits
 * are raised above the production defaults (200 per forwarder, 100 per room) so that the load decides.
 */
public final class InProcessPath implements SignalingPath {

    private final InProcessForwarder forwarder;
    private final List<String> meetings = new ArrayList<>();

    public InProcessPath() throws IOException {
        forwarder = new InProcessForwarder(new MediaConfig("127.0.0.1", "127.0.0.1", 0, Duration.ofSeconds(30),
                2_500_000, Duration.ofSeconds(10), 2_000, 1_000, Duration.ofSeconds(10)));
    }

    @Override
    public void openRooms(int n) {
        for (int i = 0; i < n; i++) {
            meetings.add("load-" + i + "-" + System.nanoTime());
        }
    }

    @Override
    public String meetingId(int room) {
        return meetings.get(room);
    }

    @Override
    public Signaling signaling(int room, int index, String socketId) {
        return forwarder.signaling(meetings.get(room), socketId, "p-" + socketId);
    }

    @Override
    public ForwarderProbe probe() {
        return new EngineProbe(forwarder.engine());
    }

    @Override
    public void close() {
        forwarder.close();
    }
}
