package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.store.MeetingCodes;
import dev.rendezvous.gateway.store.Meetings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    private final Meetings meetings;
    private final String meetingTemplate;
    private final String notFoundPage;

    public PageController(Meetings meetings) {
        this.meetings = meetings;
        this.meetingTemplate = resource("pages/meeting.html");
        this.notFoundPage = resource("pages/not-found.html");
    }

    @GetMapping("/j/{code}")
    public Mono<ResponseEntity<String>> meeting(@PathVariable String code) {
        if (!MeetingCodes.isWellFormed(code)) {
            return Mono.just(notFound());
        }
        return meetings.findByCode(code)
                .map(m -> ResponseEntity.ok().contentType(HTML).cacheControl(CacheControl.noStore())
                        .body(meetingTemplate
                                .replace("{{meetingId}}", HtmlUtils.htmlEscape(m.id().toString()))
                                .replace("{{code}}", HtmlUtils.htmlEscape(m.code()))
                                .replace("{{title}}", HtmlUtils.htmlEscape(m.title()))))
                .defaultIfEmpty(notFound());
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
