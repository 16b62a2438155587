package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.rtp.ActiveSpeakerDetector;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A meeting on this forwarder. Control changes take the room's monitor; the packet thread reads
 * {@link #members} (an array replaced whole) without locking.
 */
final class Room {

    final String meetingId;
    final Map<String, Participant> bySocket = new LinkedHashMap<>();
    volatile Participant[] members = new Participant[0];
    final ActiveSpeakerDetector speakers = new ActiveSpeakerDetector(Duration.ofMillis(1000), Duration.ofMillis(1500));
    volatile String speaker;

    Room(String meetingId) {
        this.meetingId = meetingId;
    }

    void refreshMembersLocked() {
        members = bySocket.values().toArray(new Participant[0]);
    }
}
