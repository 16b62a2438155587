package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.RecordingControl;
import dev.rendezvous.topics.model.RoomPlacement;
import java.time.Instant;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Starting and stopping a room's recording. A start names the room's forwarder in a {@link RecordingControl} on
 * {@code recording.control.requested} (that forwarder taps the room's tracks, the recorder assembles the files), keeps
 * the running recording in {@link RoomControl#recording} and tells the room through ROOM_STATE; a joiner learns it
 * from its JOINED (which carries the room state) before its media is captured. A stop — asked for, the meeting ended,
 * or the room emptied — sends STOP to the same forwarder and tells the room. Part of {@link HostActions}.
 */
final class Recordings {

    private final KeyValueStore<String, RoomPlacement> placements;
    private final RoomOutputs out;

    Recordings(KeyValueStore<String, RoomPlacement> placements, RoomOutputs out) {
        this.placements = placements;
        this.out = out;
    }

    HostDecision start(String meetingId, RoomMembers room, RoomControl c, String actor, HostActionRequest req, long ts) {
        if (c.recording != null) {
            return HostDecision.refused(HostEvent.Outcome.CONFLICT, HostError.ALREADY_RECORDING,
                    "the meeting is already being recorded");
        }
        RoomPlacement placement = placements.get(meetingId);
        if (room.isEmpty() || placement == null || placement.status() == RoomPlacement.Status.CLOSED) {
            return HostDecision.refused(HostEvent.Outcome.CONFLICT, HostError.NOTHING_TO_RECORD,
                    "nobody is in the meeting: there is nothing to record yet");
        }
        String id = req.recordingId() != null ? req.recordingId()
                : RecordingControl.recordingIdFor(meetingId, req.requestId());
        Instant at = Instant.ofEpochMilli(ts);
        c.recording = new RoomControl.Running(id, placement.primaryForwarderId(), at, actor);
        control(meetingId, c.recording, RecordingControl.Action.START, ts);
        out.deliver(Deliveries.to(room.members(), Roles.roomState(meetingId, c)), ts);
        return HostDecision.applied();
    }

    HostDecision stop(String meetingId, RoomMembers room, RoomControl c, HostActionRequest req, long ts) {
        if (c.recording == null || (req.recordingId() != null && !req.recordingId().equals(c.recording.recordingId()))) {
            return HostDecision.refused(HostEvent.Outcome.NOT_FOUND, HostError.NOT_RECORDING,
                    "this recording is not running");
        }
        stopRunning(meetingId, room, c, ts);
        return HostDecision.applied();
    }

    /** Stops the running recording, if any (meeting ended, room emptied): STOP to its forwarder, the room told. */
    void stopRunning(String meetingId, RoomMembers room, RoomControl c, long ts) {
        if (c.recording == null) {
            return;
        }
        control(meetingId, c.recording, RecordingControl.Action.STOP, ts);
        c.recording = null;
        if (!room.isEmpty()) {
            out.deliver(Deliveries.to(room.members(), Roles.roomState(meetingId, c)), ts);
        }
    }

    private void control(String meetingId, RoomControl.Running r, RecordingControl.Action action, long ts) {
        Instant at = Instant.ofEpochMilli(ts);
        out.emit(meetingId, new RoomOutput.RecordingRequested(new RecordingControl(meetingId, r.recordingId(), action,
                r.forwarderId(), at)), ts);
        out.emit(meetingId, new RoomOutput.Analytics(action == RecordingControl.Action.START
                ? AnalyticsEvent.RecordingStarted.of(meetingId, at, r.recordingId(), r.forwarderId())
                : AnalyticsEvent.RecordingStopped.of(meetingId, at, r.recordingId(), r.forwarderId())), ts);
    }
}
