package dev.rendezvous.gateway.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.store.MeetingRecord;
import dev.rendezvous.gateway.store.Meetings;
import dev.rendezvous.gateway.store.UserMeeting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/me/meetings}: the meetings of the home page — those the user hosts and those they were invited
 * to — upcoming first (soonest first), then past (latest first), at most {@link #MAX_LIMIT}.
 */
@RestController
public class MyMeetingsController {

    /** The most meetings one answer holds (and the default): a user with thousands of meetings gets the newest. */
    public static final int MAX_LIMIT = 200;

    /**
     * How long after its time (scheduled start, else creation) a meeting that has not been ended still counts as
     * upcoming: meetings have no planned duration, and one that started an hour ago may well be running.
     */
    public static final Duration PAST_AFTER = Duration.ofHours(12);

    /**
     * One meeting of the list. {@code startsAt} is the scheduled start, or the creation time of a meeting made
     * for "now" ({@code scheduled} false); {@code role} is {@code host} or {@code invited}; {@code past} tells which
     * group it belongs to.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MyMeeting(UUID meetingId, String code, String title, Instant startsAt, String role, String joinUrl,
                            boolean scheduled, boolean past, Instant createdAt, Instant endedAt, String hostName,
                            boolean lobby, boolean muteOnEntry, boolean allowGuests, Integer maxParticipants) {}

    private final Meetings meetings;
    private final Bearer bearer;
    private final PublicUrls urls;
    private final Clock clock;

    public MyMeetingsController(Meetings meetings, Bearer bearer, PublicUrls urls, Clock clock) {
        this.meetings = meetings;
        this.bearer = bearer;
        this.urls = urls;
        this.clock = clock;
    }

    @GetMapping("/api/v1/me/meetings")
    public Mono<List<MyMeeting>> list(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                      @RequestParam(name = "limit", required = false) String limit,
                                      ServerHttpRequest request) {
        TokenClaims c = bearer.requireUser(authorization);
        int n = limit(limit);
        String base = urls.base(request);
        return meetings.forUser(c.userId(), clock.instant().minus(PAST_AFTER), n)
                .map(um -> view(um, base))
                .collectList();
    }

    static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return MAX_LIMIT;
        }
        int n;
        try {
            n = Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        if (n < 1) {
            throw ApiException.invalid("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        return Math.min(n, MAX_LIMIT);
    }

    private static MyMeeting view(UserMeeting um, String base) {
        MeetingRecord m = um.meeting();
        return new MyMeeting(m.id(), m.code(), m.title(), m.at(), um.role().name().toLowerCase(Locale.ROOT),
                base + "/j/" + m.code(), m.startsAt() != null, um.past(), m.createdAt(), m.endedAt(), m.hostName(),
                m.lobby(), m.muteOnEntry(), m.allowGuests(), m.maxParticipants());
    }
}
