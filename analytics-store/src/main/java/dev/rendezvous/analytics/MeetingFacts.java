package dev.rendezvous.analytics;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * A meeting's facts read back from the analytics tables: each socket's stay, the number of chat messages and how many
 * came in each minute, each participant's mean quality. Every query first groups by {@code event_id}, so rows written twice (a replay) and not
 * merged yet count once. Plain SQL that ClickHouse 18.16 runs (aggregate {@code -If} combinators, subqueries).
 */
public final class MeetingFacts {

    /** One socket's stay: {@code leftAtMs} is -1 while it is still in (no leave seen). */
    public record SocketStay(String socketId, String participantId, String displayName, long joinedAtMs, long leftAtMs) {}

    /** One participant's mean figures over their quality samples. */
    public record Quality(String participantId, long samples, double bitrateInBps, double bitrateOutBps,
                          double lossRatio, double rttMs, double jitterMs) {}

    /** The chat messages sent in minute {@code minute} (0 = the first minute after the first join). */
    public record ChatMinute(long minute, long messages) {}

    /**
     * @param chatMinutes the minutes with chat, in order, counted from the earliest of the stays' joins (empty without
     *                    stays)
     */
    public record Facts(List<SocketStay> stays, long chatMessages, List<ChatMinute> chatMinutes, List<Quality> quality) {
        public Facts {
            stays = List.copyOf(stays);
            chatMinutes = List.copyOf(chatMinutes);
            quality = List.copyOf(quality);
        }

        /** Without the chat per minute. */
        public Facts(List<SocketStay> stays, long chatMessages, List<Quality> quality) {
            this(stays, chatMessages, List.of(), quality);
        }
    }

    private final ClickHouseSql sql;

    public MeetingFacts(ClickHouseSql sql) {
        this.sql = sql;
    }

    public Mono<Facts> of(UUID meetingId) {
        String m = "'" + meetingId + "'";   // a parsed UUID: nothing to escape
        // inner aliases differ from the columns: 18.16 resolves an alias in WHERE (any(kind) AS kind would be refused)
        String joinsAndLeaves = "SELECT event_id, any(kind) AS e_kind, any(socket_id) AS e_socket,"
                + " any(participant_id) AS e_participant, any(display_name) AS e_name, any(at_ms) AS e_at,"
                + " any(duration_ms) AS e_duration FROM " + AnalyticsSchema.EVENTS + " WHERE meeting_id = " + m
                + " AND kind IN ('participant_joined', 'participant_left') GROUP BY event_id";
        Mono<List<SocketStay>> stays = sql.select("SELECT e_socket AS socket_id, any(e_participant) AS participant_id,"
                        + " anyIf(e_name, e_kind = 'participant_joined') AS display_name,"
                        + " countIf(e_kind = 'participant_joined') AS joins, minIf(e_at, e_kind = 'participant_joined') AS joined_ms,"
                        + " countIf(e_kind = 'participant_left') AS leaves, maxIf(e_at, e_kind = 'participant_left') AS left_ms,"
                        + " maxIf(e_duration, e_kind = 'participant_left') AS duration_ms"
                        + " FROM (" + joinsAndLeaves + ") GROUP BY e_socket ORDER BY e_socket")
                .map(rows -> rows.stream().map(MeetingFacts::stay).toList())
                .cache();
        Mono<List<ChatMinute>> chatMinutes = stays.flatMap(list -> list.isEmpty() ? Mono.just(List.<ChatMinute>of())
                : chatPerMinute(m, list.stream().mapToLong(SocketStay::joinedAtMs).min().getAsLong()));
        Mono<Long> chats = sql.select("SELECT count() AS n FROM (SELECT event_id FROM " + AnalyticsSchema.EVENTS
                        + " WHERE meeting_id = " + m + " AND kind = 'chat_sent' GROUP BY event_id)")
                .map(rows -> rows.isEmpty() ? 0L : number(rows.get(0), "n"));
        Mono<List<Quality>> quality = sql.select("SELECT q_participant AS participant_id, count() AS samples,"
                        + " avg(q_in) AS bitrate_in, avg(q_out) AS bitrate_out, avg(q_loss) AS loss,"
                        + " avg(q_rtt) AS rtt, avg(q_jitter) AS jitter FROM (SELECT event_id,"
                        + " any(participant_id) AS q_participant, any(bitrate_in_bps) AS q_in,"
                        + " any(bitrate_out_bps) AS q_out, any(loss_ratio) AS q_loss, any(rtt_ms) AS q_rtt,"
                        + " any(jitter_ms) AS q_jitter FROM " + AnalyticsSchema.QUALITY + " WHERE meeting_id = " + m
                        + " GROUP BY event_id) GROUP BY q_participant ORDER BY q_participant")
                .map(rows -> rows.stream().map(r -> new Quality(String.valueOf(r.get("participant_id")),
                        number(r, "samples"), decimal(r, "bitrate_in"), decimal(r, "bitrate_out"), decimal(r, "loss"),
                        decimal(r, "rtt"), decimal(r, "jitter"))).toList());
        return Mono.zip(stays, chats, chatMinutes, quality).map(t -> new Facts(t.getT1(), t.getT2(), t.getT3(), t.getT4()));
    }

    /** Chat messages per minute after {@code originMs} (earlier ones count in minute 0), each message once. */
    private Mono<List<ChatMinute>> chatPerMinute(String m, long originMs) {
        long o = Math.max(0, originMs);
        return sql.select("SELECT intDiv(greatest(c_at, " + o + ") - " + o + ", 60000) AS minute, count() AS n"
                        + " FROM (SELECT event_id, any(at_ms) AS c_at FROM " + AnalyticsSchema.EVENTS
                        + " WHERE meeting_id = " + m + " AND kind = 'chat_sent' GROUP BY event_id)"
                        + " GROUP BY minute ORDER BY minute")
                .map(rows -> rows.stream().map(r -> new ChatMinute(number(r, "minute"), number(r, "n"))).toList());
    }

    /** A socket whose join was not seen (older than the table) starts where its leave's duration says. */
    private static SocketStay stay(Map<String, Object> r) {
        boolean joined = number(r, "joins") > 0;
        boolean left = number(r, "leaves") > 0;
        long leftAt = left ? number(r, "left_ms") : -1;
        long joinedAt = joined ? number(r, "joined_ms") : Math.max(0, leftAt - number(r, "duration_ms"));
        return new SocketStay(String.valueOf(r.get("socket_id")), String.valueOf(r.get("participant_id")),
                String.valueOf(r.getOrDefault("display_name", "")), joinedAt, leftAt);
    }

    /** ClickHouse writes 64-bit integers as JSON strings. */
    static long number(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v instanceof Number n ? n.longValue() : v == null ? 0 : Long.parseLong(v.toString());
    }

    private static double decimal(Map<String, Object> row, String column) {
        Object v = row.get(column);
        double d = v instanceof Number n ? n.doubleValue() : v == null ? 0 : Double.parseDouble(v.toString());
        return Double.isFinite(d) ? d : 0;
    }
}
