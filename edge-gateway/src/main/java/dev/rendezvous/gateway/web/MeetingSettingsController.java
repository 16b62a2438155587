package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.store.MeetingChanges;
import dev.rendezvous.gateway.store.MeetingChanges.Field;
import dev.rendezvous.gateway.store.Meetings;
import dev.rendezvous.topics.model.HostActionRequest.Action;
import java.time.Clock;
import java.util.Iterator;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code PATCH /api/v1/meetings/{meetingId}} (API.md): the host changes any of {@code title, startsAt, lobby,
 * muteOnEntry, allowGuests, maxParticipants, locked}; a field that is absent stays as it is, {@code startsAt} or
 * {@code maxParticipants} set to null clear it. Validation as at creation (400). Stored settings apply to who joins
 * next (the room processor follows the stored lobby flag at each join); only the fields sent are written, so a
 * concurrent request changing other fields keeps its changes. {@code locked} is the running room's lock,
 * so it goes to the room processor as a LOCK/UNLOCK host action and its decision is awaited. Answers the meeting.
 * Only the meeting's creator: a co-host is a role inside the running room, which the gateway does not see.
 */
@RestController
public class MeetingSettingsController {

    private static final Set<String> FIELDS = Set.of("title", "startsAt", "lobby", "muteOnEntry", "allowGuests",
            "maxParticipants", "locked");

    private final Meetings meetings;
    private final HostRequests requests;
    private final Bearer bearer;
    private final PublicUrls urls;
    private final Clock clock;

    public MeetingSettingsController(Meetings meetings, HostRequests requests, Bearer bearer, PublicUrls urls,
                                     Clock clock) {
        this.meetings = meetings;
        this.requests = requests;
        this.bearer = bearer;
        this.urls = urls;
        this.clock = clock;
    }

    @PatchMapping("/api/v1/meetings/{meetingId}")
    public Mono<MeetingController.MeetingView> patch(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String meetingId, @RequestBody(required = false) JsonNode body, ServerHttpRequest request) {
        TokenClaims c = bearer.require(authorization);
        UUID id = HostRequests.uuid(meetingId);
        if (id == null) {
            return Mono.error(ApiException.meetingNotFound());
        }
        if (body == null || !body.isObject() || body.isEmpty()) {
            return Mono.error(ApiException.invalid("send a JSON object with at least one of " + String.join(", ", FIELDS)));
        }
        for (Iterator<String> names = body.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return Mono.error(ApiException.invalid("unknown field '" + name + "'; the fields are " + String.join(", ", FIELDS)));
            }
        }
        return meetings.findById(id)
                .switchIfEmpty(Mono.error(ApiException::meetingNotFound))
                .flatMap(m -> {
                    if (!c.isUser() || !c.userId().equals(m.hostId())) {
                        return Mono.error(ApiException.forbidden("only the meeting's host may change it"));
                    }
                    MeetingChanges changes = changes(body);
                    Boolean locked = body.has("locked") ? bool(body, "locked") : null;
                    // the lock first, awaiting the room processor's decision (an answer at all means the lock is as
                    // asked): a refusal (the meeting ended) or no answer (503) leaves the stored fields unchanged too,
                    // and a PATCH repeated after a failed save locks again harmlessly
                    Mono<Void> lock = locked == null ? Mono.empty()
                            : requests.ask(c, meetingId, locked ? Action.LOCK : Action.UNLOCK, null, null).then();
                    return lock.then(Mono.defer(() -> meetings.update(m.id(), changes)))
                            .switchIfEmpty(Mono.error(ApiException::meetingNotFound))
                            .map(u -> MeetingController.view(u, urls.joinUrl(request, u.code())))
                            .map(v -> locked == null ? v : v.withLocked(locked));
                });
    }

    /** The request's fields but {@code locked}, validated as at creation (400 otherwise). */
    private MeetingChanges changes(JsonNode body) {
        MeetingChanges changes = new MeetingChanges();
        if (body.has("title")) {
            changes.set(Field.TITLE, Validation.title(text(body, "title")));
        }
        if (body.has("startsAt")) {
            changes.set(Field.STARTS_AT, Validation.startsAt(text(body, "startsAt"), clock.instant()));
        }
        if (body.has("lobby")) {
            changes.set(Field.LOBBY, bool(body, "lobby"));
        }
        if (body.has("muteOnEntry")) {
            changes.set(Field.MUTE_ON_ENTRY, bool(body, "muteOnEntry"));
        }
        if (body.has("allowGuests")) {
            changes.set(Field.ALLOW_GUESTS, bool(body, "allowGuests"));
        }
        if (body.has("maxParticipants")) {
            changes.set(Field.MAX_PARTICIPANTS, Validation.maxParticipants(integer(body, "maxParticipants")));
        }
        return changes;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw ApiException.invalid(field + " must be a string");
        }
        return v.asString();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (!v.isBoolean()) {
            throw ApiException.invalid(field + " must be true or false");
        }
        return v.asBoolean();
    }

    private static Integer integer(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.invalid(field + " must be a whole number");
        }
        return v.asInt();
    }
}
