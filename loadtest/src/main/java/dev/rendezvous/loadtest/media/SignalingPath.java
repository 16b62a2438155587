package dev.rendezvous.loadtest.media;

import dev.rendezvous.webrtc.signaling.Signaling;

/**
 * Where the synthetic participants' signaling goes: the real path (a running stack's gateway, Kafka,
 * stream-apps, the forwarder it places the room on) or an in-process engine. {@link #openRooms} comes first.
 */
public interface SignalingPath extends AutoCloseable {

    /** Makes {@code n} rooms ready to join. */
    void openRooms(int n) throws Exception;

    /** The meeting id of room {@code room}. */
    String meetingId(int room);

    /** A fresh signaling route for participant {@code index} of {@code room}. */
    Signaling signaling(int room, int index, String socketId);

    /** The forwarder's figures for this path. */
    ForwarderProbe probe();

    @Override
    void close();
}
