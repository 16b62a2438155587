package dev.rendezvous.webrtc;

import dev.rendezvous.webrtc.signaling.InProcessForwarder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Test fixture: an in-process forwarder, a client runtime, and clients joining one meeting; closes them all. */
final class Meeting implements AutoCloseable {

    final InProcessForwarder forwarder;
    final ClientRuntime runtime = new ClientRuntime(2);
    final List<WebRtcClient> clients = new ArrayList<>();
    final String meetingId = "meeting-" + System.nanoTime();

    Meeting() throws IOException {
        forwarder = new InProcessForwarder();
    }

    Meeting(dev.rendezvous.forwarder.media.MediaConfig config) throws IOException {
        forwarder = new InProcessForwarder(config);
    }

    WebRtcClient join(String socketId) {
        return join(socketId, c -> c);
    }

    WebRtcClient join(String socketId, UnaryOperator<ClientConfig> tweak) {
        ClientConfig config = tweak.apply(ClientConfig.of(meetingId, socketId, "p-" + socketId));
        WebRtcClient c = new WebRtcClient(config, forwarder.signaling(meetingId, socketId, config.participantId()),
                runtime);
        clients.add(c);
        c.start();
        return c;
    }

    long counter(String stage, String outcome) {
        return forwarder.engine().counters().value(stage, outcome);
    }

    @Override
    public void close() {
        clients.forEach(WebRtcClient::close);
        runtime.close();
        forwarder.close();
    }
}
