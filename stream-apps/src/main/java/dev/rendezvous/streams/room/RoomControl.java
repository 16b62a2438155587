package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.Member;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Value of the {@code room-control} store: what the room processor knows about a room's control besides its
 * sockets ({@link RoomMembers}): who owns and who hosts it, its co-hosts, lock and lobby, who waits, who was
 * removed, whose mute the host locked, raised hands, whether it ended, and the recent host requests already
 * decided (so a replay repeats the answer and none of the effects).
 *
 * <p>A working copy: {@link HostActions} reads it from the store once per input record, changes it, and writes
 * it back after the record's outputs were forwarded. Public fields, for the JSON of the store's changelog.
 */
public final class RoomControl {

    /** How many decided request ids a room remembers. */
    static final int RECENT_REQUESTS = 256;

    /** A socket waiting in the lobby, with what its join needs when it is admitted. */
    public record Waiting(Member member, String fingerprint) {}

    /** One decided request: the answer a repeat gets again. */
    public record Decided(String requestId, HostActionRequest.Action action, HostEvent.Outcome outcome, String error,
                          String message) {}

    /** The room's running recording: its id, the forwarder capturing it, since when, started by whom. */
    public record Running(String recordingId, String forwarderId, java.time.Instant startedAt, String by) {}

    /** Kinds the host muted and does not let the person unmute. */
    public record MuteLock(boolean audio, boolean video) {}

    /** The meeting's creator (learnt from a JOIN the gateway marked HOST, or a request it marked as the owner's). */
    public String ownerId;
    /** Who has host rights now; null while no registered participant is present. */
    public String hostId;
    public List<String> cohosts = new ArrayList<>();
    public boolean locked;
    public boolean lobby;
    /** The meeting's stored lobby flag as the last JOIN carried it (a change of it turns the room's lobby on or off). */
    public Boolean storedLobby;
    /** The meeting's stored settings as the last JOIN carried them: the cap on participants (null: none) and
     * whether newcomers' microphones start muted. */
    public Integer maxParticipants;
    public boolean muteOnEntry;
    public List<Waiting> waiting = new ArrayList<>();
    public List<String> removed = new ArrayList<>();
    public Map<String, MuteLock> muteLocks = new LinkedHashMap<>();
    /** Participants with a raised hand, in the order they raised it. */
    public List<String> hands = new ArrayList<>();
    public boolean ended;
    /** The recording running now; null when the room is not being recorded. */
    public Running recording;
    public List<Decided> recent = new ArrayList<>();
    /**
     * Time (epoch ms) of the record that last changed this (a failover's move: the punctuator's wall clock; both are
     * wall-clock times, which is what {@link ControlSweep} compares them with); 0 in a record stored before the field
     * existed.
     */
    public long touchedAt;

    public RoomControl() {}

    boolean privileged(String participantId) {
        return participantId != null
                && (participantId.equals(ownerId) || participantId.equals(hostId) || cohosts.contains(participantId));
    }

    Decided decided(String requestId) {
        for (Decided d : recent) {
            if (d.requestId().equals(requestId)) {
                return d;
            }
        }
        return null;
    }

    void remember(Decided d) {
        recent.add(d);
        while (recent.size() > RECENT_REQUESTS) {
            recent.remove(0);
        }
    }

    List<Waiting> waitingOf(String participantId) {
        return waiting.stream().filter(w -> w.member().participantId().equals(participantId)).toList();
    }

    Waiting waitingSocket(String socketId) {
        for (Waiting w : waiting) {
            if (w.member().socketId().equals(socketId)) {
                return w;
            }
        }
        return null;
    }

    HostEvent.RoomState state() {
        return new HostEvent.RoomState(hostId, cohosts, locked, lobby, hands, recording == null ? null
                : new HostEvent.Recording(recording.recordingId(), recording.startedAt(), recording.by()));
    }
}
