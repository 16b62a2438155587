package dev.rendezvous.analytics;

import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.AnalyticsEvent.ChatSent;
import dev.rendezvous.topics.model.AnalyticsEvent.HostAction;
import dev.rendezvous.topics.model.AnalyticsEvent.ParticipantJoined;
import dev.rendezvous.topics.model.AnalyticsEvent.ParticipantLeft;
import dev.rendezvous.topics.model.AnalyticsEvent.QualitySample;
import dev.rendezvous.topics.model.AnalyticsEvent.RecordingStarted;
import dev.rendezvous.topics.model.AnalyticsEvent.RecordingStopped;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events → rows of the analytics tables ({@link AnalyticsSchema}), as JSONEachRow. Every column gets a value (empty
 * string, 0) rather than null: the tables have no Nullable columns. {@code date} is the UTC day of the event's time,
 * so a replayed event lands in the partition of its first copy; {@code version} is when the row was written (the
 * newest copy wins a merge — all copies of a fact are equal anyway).
 */
public final class AnalyticsRows {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AnalyticsRows() {}

    /** The table an event goes to. */
    public static String tableOf(AnalyticsEvent e) {
        return e instanceof QualitySample ? AnalyticsSchema.QUALITY : AnalyticsSchema.EVENTS;
    }

    /** The event as a row of {@link #tableOf its table}. */
    public static Map<String, Object> row(AnalyticsEvent e, long version) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("date", e.at().atOffset(ZoneOffset.UTC).toLocalDate().toString());
        r.put("event_id", e.eventId());
        if (!(e instanceof QualitySample)) {
            r.put("kind", e.kind().id());
        }
        r.put("meeting_id", e.meetingId());
        r.put("at_ms", e.at().toEpochMilli());
        if (e instanceof ParticipantJoined j) {
            r.put("participant_id", text(j.participantId()));
            r.put("socket_id", text(j.socketId()));
            r.put("display_name", text(j.displayName()));
            r.put("role", j.role() == null ? "" : j.role().name());
        } else if (e instanceof ParticipantLeft l) {
            r.put("participant_id", text(l.participantId()));
            r.put("socket_id", text(l.socketId()));
            r.put("duration_ms", Math.max(0, l.durationMs()));
            r.put("reason", l.reason().name());
        } else if (e instanceof ChatSent c) {
            r.put("participant_id", text(c.participantId()));
            r.put("seq", Math.max(0, c.seq()));
            r.put("length", Math.max(0, c.length()));
        } else if (e instanceof HostAction h) {
            r.put("participant_id", text(h.actorParticipantId()));
            r.put("action", h.action().name());
            r.put("target", text(h.target()));
        } else if (e instanceof RecordingStarted s) {
            r.put("recording_id", text(s.recordingId()));
            r.put("forwarder_id", text(s.forwarderId()));
        } else if (e instanceof RecordingStopped s) {
            r.put("recording_id", text(s.recordingId()));
            r.put("forwarder_id", text(s.forwarderId()));
        } else if (e instanceof QualitySample q) {
            r.put("participant_id", text(q.participantId()));
            r.put("socket_id", text(q.socketId()));
            r.put("forwarder_id", text(q.forwarderId()));
            r.put("bitrate_in_bps", finite(q.bitrateInBps()));
            r.put("bitrate_out_bps", finite(q.bitrateOutBps()));
            r.put("loss_ratio", finite(q.lossRatio()));
            r.put("rtt_ms", finite(q.rttMs()));
            r.put("jitter_ms", finite(q.jitterMs()));
            r.put("layer", Math.max(-1, Math.min(q.layer(), Short.MAX_VALUE)));
            r.put("forwarder_cpu", finite(q.forwarderCpu()));
        } else {
            throw new IllegalArgumentException("no row for " + e.kind());
        }
        r.put("version", version);
        return r;
    }

    /** Rows as JSONEachRow: one JSON object per line. */
    public static byte[] jsonEachRow(List<Map<String, Object>> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows.size() * 256);
        for (Map<String, Object> r : rows) {
            out.writeBytes(json(r));
        }
        return out.toByteArray();
    }

    /** One row as a line of JSONEachRow. */
    public static byte[] json(Map<String, Object> row) {
        byte[] b = JSON.writeValueAsBytes(row);
        byte[] line = java.util.Arrays.copyOf(b, b.length + 1);
        line[b.length] = '\n';
        return line;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    /** JSON has no NaN or infinity; a figure that is not a number is stored as 0. */
    private static double finite(double d) {
        return Double.isFinite(d) ? d : 0;
    }
}
