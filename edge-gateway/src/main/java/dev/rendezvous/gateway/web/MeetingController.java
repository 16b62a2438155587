package dev.rendezvous.gateway.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.store.MeetingCodes;
import dev.rendezvous.gateway.store.MeetingRecord;
import dev.rendezvous.gateway.store.MeetingSettings;
import dev.rendezvous.gateway.store.Meetings;
import dev.rendezvous.gateway.store.UniqueViolationException;
import dev.rendezvous.gateway.store.Users;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** Meetings: create, read, invite, guest tokens (API.md); the chat history is {@link ChatHistoryController}'s. */
@RestController
public class MeetingController {

    /** {@code startsAt} is read as text so that a wrong date gets its own clear 400 (Validation.startsAt). */
    public record CreateMeetingRequest(String title, Boolean lobby, String startsAt, Boolean muteOnEntry,
                                       Boolean allowGuests, Integer maxParticipants) {}

    public record CreatedMeeting(UUID meetingId, String code, String joinUrl) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    /**
     * A meeting as the API shows it. {@code locked} is the running room's lock, which lives in the room processor, not
     * in the meeting's row: only the answer to a {@code PATCH} that set it carries it (absent elsewhere).
     */
    public record MeetingView(UUID meetingId, String code, String title, UUID hostId, String hostName, boolean lobby,
                              Instant createdAt, Instant endedAt, String joinUrl, Instant startsAt, boolean muteOnEntry,
                              boolean allowGuests, Integer maxParticipants, Boolean locked) {

        /** The same view with the room's lock as a host action just set it. */
        MeetingView withLocked(Boolean now) {
            return new MeetingView(meetingId, code, title, hostId, hostName, lobby, createdAt, endedAt, joinUrl, startsAt,
                    muteOnEntry, allowGuests, maxParticipants, now);
        }
    }

    public record InviteRequest(String email) {}

    public record Invited(UUID meetingId, String email, String displayName) {}

    public record GuestRequest(String displayName) {}

    public record GuestToken(String token, Instant expiresAt, UUID meetingId, String participantId) {}

    private final Meetings meetings;
    private final Users users;
    private final MeetingCodes codes;
    private final TokenService tokens;
    private final Bearer bearer;
    private final PublicUrls urls;
    private final MissBudget guard;
    private final HostRights hostRights;
    private final Clock clock;

    public MeetingController(Meetings meetings, Users users, MeetingCodes codes,
                             TokenService tokens, Bearer bearer, PublicUrls urls, MissBudget guard,
                             HostRequests hostRequests, Clock clock) {
        this.hostRights = new HostRights(meetings, hostRequests);
        this.meetings = meetings;
        this.users = users;
        this.codes = codes;
        this.tokens = tokens;
        this.bearer = bearer;
        this.urls = urls;
        this.guard = guard;
        this.clock = clock;
    }

    @PostMapping("/api/v1/meetings")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<CreatedMeeting> create(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                       @RequestBody CreateMeetingRequest body, ServerHttpRequest request) {
        TokenClaims c = bearer.requireUser(authorization);
        String title = Validation.title(body.title());
        MeetingSettings settings = new MeetingSettings(Validation.startsAt(body.startsAt(), clock.instant()),
                Boolean.TRUE.equals(body.lobby()), Boolean.TRUE.equals(body.muteOnEntry()),
                !Boolean.FALSE.equals(body.allowGuests()), Validation.maxParticipants(body.maxParticipants()));
        return users.findById(c.userId())
                .switchIfEmpty(Mono.error(() -> ApiException.unauthorized("the token's user no longer exists")))
                // a fresh code per attempt; a collision (1 in ~10^14 per existing meeting) is retried
                .flatMap(u -> Mono.defer(() -> meetings.create(codes.next(), title, u.id(), settings, clock.instant()))
                        .retryWhen(Retry.max(5).filter(UniqueViolationException.class::isInstance)))
                .map(m -> new CreatedMeeting(m.id(), m.code(), urls.joinUrl(request, m.code())));
    }

    @GetMapping("/api/v1/meetings/{meetingId}")
    public Mono<MeetingView> get(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                 @PathVariable String meetingId, ServerHttpRequest request) {
        TokenClaims c = bearer.require(authorization);
        return authorize(c, meetingId)
                .map(m -> view(m, urls.joinUrl(request, m.code())));
    }

    static MeetingView view(MeetingRecord m, String joinUrl) {
        return new MeetingView(m.id(), m.code(), m.title(), m.hostId(), m.hostName(), m.lobby(), m.createdAt(),
                m.endedAt(), joinUrl, m.startsAt(), m.muteOnEntry(), m.allowGuests(), m.maxParticipants(), null);
    }

    /**
     * The host invites a registered user by email; the meeting then shows in that user's {@code GET
     * /api/v1/me/meetings} (role {@code invited}) and they may read it. Inviting someone again is a no-op (201).
     * The host may; so may a co-host, a role that lives in the running room: the gateway asks the room processor
     * for the room's people (as the participants list does) and lets a caller it lists as co-host invite.
     */
    @PostMapping("/api/v1/meetings/{meetingId}/invites")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<Invited> invite(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                @PathVariable String meetingId, @RequestBody InviteRequest body) {
        TokenClaims c = bearer.require(authorization);
        UUID id = uuid(meetingId);
        if (id == null) {
            return Mono.error(ApiException.meetingNotFound());
        }
        return meetings.findById(id)
                .switchIfEmpty(Mono.error(ApiException::meetingNotFound))
                .flatMap(m -> hostRights.has(c, m).flatMap(ok -> {
                    if (!ok) {
                        return Mono.error(ApiException.forbidden("only the meeting's host or a co-host may invite people"));
                    }
                    String email = Validation.email(body.email());
                    return users.findByEmail(email)
                            .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.NOT_FOUND, "user_not_found",
                                    "nobody has registered with this email")))
                            .flatMap(u -> u.id().equals(m.hostId())
                                    ? Mono.error(ApiException.invalid("you host this meeting; invite someone else"))
                                    : meetings.invite(m.id(), u.id(), c.userId(), clock.instant())
                                            .thenReturn(new Invited(m.id(), u.email(), u.displayName())));
                }));
    }

    /** A guest token for a meeting code. Misses are counted per address ({@link MissBudget}). */
    @PostMapping("/api/v1/meetings/{code}/guest")
    public Mono<GuestToken> guest(@PathVariable String code, @RequestBody GuestRequest body, ServerHttpRequest request) {
        if (!MeetingCodes.isWellFormed(code)) {
            return Mono.error(ApiException.meetingNotFound());
        }
        String address = MissBudget.address(request);
        return guard.check(address).then(Mono.defer(() -> meetings.findByCode(code)))
                .switchIfEmpty(Mono.defer(() -> guard.miss(address).then(Mono.error(ApiException.meetingNotFound()))))
                .flatMap(m -> m.allowGuests() ? Mono.just(m) : Mono.error(new ApiException(HttpStatus.FORBIDDEN,
                        "guests_not_allowed", "this meeting is for signed-in people only; sign in to join")))
                .map(m -> {
                    String name = Validation.displayName(body.displayName());
                    TokenService.IssuedToken t = tokens.issueGuest(m.id(), name);
                    return new GuestToken(t.token(), t.expiresAt(), m.id(), t.claims().subject());
                });
    }

    /**
     * The meeting, if the bearer may see it: its host, a registered user who joined it, a guest whose token is
     * for it, and a user the host invited. Unknown meeting: 404; known but not theirs:
     * 403.
     */
    private Mono<MeetingRecord> authorize(TokenClaims c, String meetingId) {
        UUID id = uuid(meetingId);
        if (id == null) {
            return Mono.error(ApiException.meetingNotFound());
        }
        return meetings.findById(id)
                .switchIfEmpty(Mono.error(ApiException::meetingNotFound))
                .flatMap(m -> {
                    if (c.isGuest()) {
                        return c.isGuestOf(m.id()) ? Mono.just(m)
                                : Mono.error(ApiException.forbidden("this guest token is for another meeting"));
                    }
                    if (c.userId().equals(m.hostId())) {
                        return Mono.just(m);
                    }
                    return meetings.isParticipant(m.id(), c.userId())
                            .flatMap(p -> p ? Mono.just(true) : meetings.isInvited(m.id(), c.userId()))
                            .flatMap(ok -> ok ? Mono.just(m)
                                    : Mono.error(ApiException.forbidden("only the host and participants of this meeting may see it")));
                });
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
