package dev.rendezvous.gateway.web;

import dev.rendezvous.analytics.MeetingReport;
import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.store.Meetings;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/meetings/{id}/analytics} (API.md): the meeting's figures ({@link MeetingReport}) for its host, or a
 * co-host ({@link HostRights}: also one who left, also after the end). 401 without a valid token, 404 for an
 * unknown meeting, 403 for anyone else, then 503 {@code analytics_off} without ClickHouse and 503
 * {@code analytics_unavailable} when ClickHouse does not answer in time.
 */
@RestController
public class AnalyticsController {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsController.class);

    private final Meetings meetings;
    private final HostRights access;
    private final AnalyticsReader reader;
    private final Bearer bearer;
    private final Clock clock;
    private final dev.rendezvous.resilience.Guard clickHouse;

    public AnalyticsController(Meetings meetings, HostRights access, AnalyticsReader reader, Bearer bearer, Clock clock,
                               dev.rendezvous.resilience.Guard clickHouse) {
        this.clickHouse = clickHouse;
        this.meetings = meetings;
        this.access = access;
        this.reader = reader;
        this.bearer = bearer;
        this.clock = clock;
    }

    @GetMapping("/api/v1/meetings/{meetingId}/analytics")
    public Mono<MeetingReport> analytics(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String meetingId) {
        TokenClaims c = bearer.require(authorization);
        UUID id = HostRequests.uuid(meetingId);
        if (id == null) {
            return Mono.error(ApiException.meetingNotFound());
        }
        return meetings.findById(id)
                .switchIfEmpty(Mono.error(ApiException::meetingNotFound))
                .flatMap(m -> access.has(c, m).flatMap(ok -> ok ? Mono.just(m) : Mono.error(
                        ApiException.forbidden("only the meeting's host or a co-host may see its analytics"))))
                .flatMap(m -> {
                    if (!reader.enabled()) {
                        return Mono.error(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "analytics_off",
                                "analytics is off: no ClickHouse is configured"));
                    }
                    return clickHouse.idempotent(reader.facts(m.id()))
                            .onErrorMap(e -> !(e instanceof ApiException), e -> {
                                log.warn("analytics of meeting {} unavailable: {}", m.id(), e.toString());
                                return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "analytics_unavailable",
                                        "the analytics store does not answer; try again later");
                            })
                            .map(f -> MeetingReport.of(m.id().toString(), f, clock.instant()));
                });
    }
}
