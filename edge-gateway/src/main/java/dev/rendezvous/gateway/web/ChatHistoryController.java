package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.store.ChatHistory;
import dev.rendezvous.gateway.store.Meetings;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/v1/meetings/{id}/messages}: a meeting's last chat messages, for those {@link HistoryAccess} admits. */
@RestController
public class ChatHistoryController {

    public static final int DEFAULT_HISTORY = 100;
    public static final int MAX_HISTORY = 5000;

    public record MessageView(long seq, String from, String fromId, String clientMsgId, String text, Instant sentAt) {}

    private final Meetings meetings;
    private final ChatHistory history;
    private final HistoryAccess access;
    private final Bearer bearer;

    public ChatHistoryController(Meetings meetings, ChatHistory history, HistoryAccess access, Bearer bearer) {
        this.meetings = meetings;
        this.history = history;
        this.access = access;
        this.bearer = bearer;
    }

    @GetMapping("/api/v1/meetings/{meetingId}/messages")
    public Mono<List<MessageView>> messages(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String meetingId, @RequestParam(name = "limit", required = false) String limit) {
        TokenClaims c = bearer.require(authorization);
        int n = historyLimit(limit);
        UUID id = uuid(meetingId);
        if (id == null) {
            return Mono.error(ApiException.meetingNotFound());
        }
        return meetings.findById(id)
                .switchIfEmpty(Mono.error(ApiException::meetingNotFound))
                .flatMap(m -> access.check(c, m)
                        .then(history.last(m.id(), n)
                                .map(h -> new MessageView(h.seq(), h.senderName(), h.senderId(), h.clientMsgId(), h.text(), h.sentAt()))
                                .collectList()));
    }

    static int historyLimit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_HISTORY;
        }
        int n;
        try {
            n = Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid("limit must be a whole number from 1 to " + MAX_HISTORY);
        }
        if (n < 1) {
            throw ApiException.invalid("limit must be a whole number from 1 to " + MAX_HISTORY);
        }
        return Math.min(n, MAX_HISTORY);
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
