package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.IdentityCheck;
import dev.rendezvous.gateway.auth.InvalidTokenException;
import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.store.MeetingCodes;
import dev.rendezvous.gateway.store.MeetingRecord;
import dev.rendezvous.gateway.store.Meetings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;

/**
 * {@code /j/{code}}: the meeting page, with the meeting's id, code and title rendered into it (HTML-escaped), or an
 * HTML 404 page for an unknown code. The page's behaviour is in the ES modules under {@code static/meeting/}
 * (entry {@code main.js}; ARCHITECTURE.md, "The meeting page").
 */
@RestController
public class PageController {

    private static final Logger log = LoggerFactory.getLogger(PageController.class);

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    private static final String TOO_MANY = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too many tries</title>
            <link rel="stylesheet" href="/app.css"></head><body><main><section class="card narrow">
            <h1>Too many unknown meeting links</h1><p>This address opened too many links that lead nowhere. Check the
            link you were given and try again in a minute.</p><p><a href="/">Rendezvous</a></p></section></main>
            </body></html>""";

    private static final String FORBIDDEN = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Report not available · Rendezvous</title>
            <link rel="stylesheet" href="/app.css"><script type="module" src="/forget-token.mjs"></script></head><body>
            <header class="bar"><a class="brand" href="/">Rendezvous</a></header><main>
            <section class="card narrow" data-testid="forbidden"><h1>Report not available</h1>
            <p data-testid="report-status">Only the meeting's host (or a co-host) can see its report, signed
            in: this link's sign-in is someone else's, or no longer valid. Sign in and open the report from your meetings
            on the start page.</p><p><a href="/">Go to the start page</a></p></section></main></body></html>""";

    private final Meetings meetings;
    private final TokenService tokens;
    private final HostRights reportAccess;
    private final IdentityCheck identities;
    private final String meetingTemplate;
    private final String notFoundPage;
    private final String reportTemplate;

    private final MissBudget guard;

    public PageController(Meetings meetings, MissBudget guard, TokenService tokens, HostRights reportAccess,
                          IdentityCheck identities) {
        this.meetings = meetings;
        this.identities = identities;
        this.guard = guard;
        this.tokens = tokens;
        this.reportAccess = reportAccess;
        this.meetingTemplate = resource("pages/meeting.html");
        this.notFoundPage = resource("pages/not-found.html");
        this.reportTemplate = resource("pages/report.html");
    }

    /** The meeting page; an unknown code counts as a miss of the client's address ({@link MissBudget}). */
    @GetMapping("/j/{code}")
    public Mono<ResponseEntity<String>> meeting(@PathVariable String code, ServerHttpRequest request) {
        if (!MeetingCodes.isWellFormed(code)) {
            return Mono.just(notFound());
        }
        String address = MissBudget.address(request);
        return guard.check(address).then(Mono.defer(() -> meetings.findByCode(code)))
                .map(m -> ResponseEntity.ok().contentType(HTML).cacheControl(CacheControl.noStore())
                        .body(meetingTemplate
                                .replace("{{startsAt}}", m.startsAt() == null ? "" : m.startsAt().toString())
                                .replace("{{meetingId}}", HtmlUtils.htmlEscape(m.id().toString()))
                                .replace("{{code}}", HtmlUtils.htmlEscape(m.code()))
                                .replace("{{title}}", HtmlUtils.htmlEscape(m.title()))))   // last: the title is the user's text
                .switchIfEmpty(Mono.defer(() -> guard.miss(address).thenReturn(notFound())))
                .onErrorResume(ApiException.class, e -> e.retryAfter() == null ? Mono.error(e)
                        : Mono.just(ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).contentType(HTML)
                                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                                .body(TOO_MANY)));
    }

    /**
     * A meeting's report page (API.md): the page reads {@code GET /api/v1/meetings/{id}/analytics} with the host's token
     * (from {@code ?token=} or the browser's storage) and draws its charts. With {@code ?token=} the page itself is
     * refused (403 page) unless that token's holder may see the analytics ({@link HostRights}) and the token is not
     * revoked (logged out) nor its user deleted ({@link IdentityCheck}, as {@link TokenGate} for the API); a token from the
     * browser's storage only the page can read, so there the analytics call's 403 is shown by the page. When the room
     * cannot be asked (503) the page is served and says what the API answers. An id that is not a meeting's answers the
     * not-found page, counted as a miss like a code.
     */
    @GetMapping("/meetings/{meetingId}/report")
    public Mono<ResponseEntity<String>> report(@PathVariable String meetingId, ServerHttpRequest request) {
        java.util.UUID id;
        try {
            id = java.util.UUID.fromString(meetingId);
        } catch (IllegalArgumentException e) {
            return Mono.just(notFound());
        }
        String address = MissBudget.address(request);
        String token = request.getQueryParams().getFirst("token");
        return guard.check(address).then(Mono.defer(() -> meetings.findById(id)))
                // a blank ?token= is none: the page falls back to the browser's storage
                .flatMap(m -> token == null || token.isBlank() ? Mono.just(reportPage(m)) : reportFor(token, m))
                .switchIfEmpty(Mono.defer(() -> guard.miss(address).thenReturn(notFound())))
                .onErrorResume(ApiException.class, e -> e.retryAfter() == null ? Mono.error(e)
                        : Mono.just(ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).contentType(HTML)
                                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                                .body(TOO_MANY)));
    }

    private Mono<ResponseEntity<String>> reportFor(String token, MeetingRecord m) {
        TokenClaims c;
        try {
            c = tokens.verify(token);
        } catch (InvalidTokenException e) {
            return Mono.just(forbidden());
        }
        // the room, the database or the shared revocations cannot tell now: the page is served and shows what the
        // analytics call answers (TokenGate refuses it 503 while the revocations cannot be read)
        return identities.refusal(c, null, true)
                .map(revoked -> false)
                .switchIfEmpty(Mono.defer(() -> reportAccess.has(c, m)))
                .map(ok -> ok ? reportPage(m) : forbidden())
                // any failure but a refusal (an ApiException that is not 503): cannot tell, the page is served (it
                // shows what the analytics call answers); one that is not a dependency's outage is logged
                .onErrorResume(e -> !(e instanceof ApiException a) || a.status() == HttpStatus.SERVICE_UNAVAILABLE, e -> {
                    if (!(e instanceof ApiException) && !(e instanceof dev.rendezvous.resilience.DependencyUnavailableException)) {
                        log.warn("meeting {}: cannot tell whether this token may see the report; the page is served", m.id(), e);
                    }
                    return Mono.just(reportPage(m));
                });
    }

    private ResponseEntity<String> reportPage(MeetingRecord m) {
        return ResponseEntity.ok().contentType(HTML).cacheControl(CacheControl.noStore())
                .body(reportTemplate
                        .replace("{{meetingId}}", HtmlUtils.htmlEscape(m.id().toString()))
                        .replace("{{title}}", HtmlUtils.htmlEscape(m.title())));   // last: the user's text
    }

    private static ResponseEntity<String> forbidden() {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(HTML).cacheControl(CacheControl.noStore())
                .body(FORBIDDEN);
    }

    private ResponseEntity<String> notFound() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(HTML).body(notFoundPage);
    }

    private static String resource(String path) {
        try (InputStream in = PageController.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
