package dev.rendezvous.gateway.web;

import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /actuator/health} on the public port, as API.md has it (load balancers ask there): the status alone,
 * {@code {"status":"UP"}} with 200, or 503 (Spring's mapping of DOWN and OUT_OF_SERVICE, or no answer within
 * {@link #TIMEOUT}). It is the readiness group's status — UP while the gateway takes traffic, OUT_OF_SERVICE while it
 * starts or shuts down — not the overall one: a database or S3 outage must not take every gateway out of its load
 * balancer (the calls that need the dependency answer 503 themselves; sockets and chat go on). One check serves all
 * requests of a second. The components, the probe groups and the metrics stay on the management port.
 */
@RestController
public class PublicHealthController {

    /** A load balancer's check that waits longer than this has failed anyway. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** How long one answer serves: a flood of checks costs one look a second. */
    static final Duration FRESH_FOR = Duration.ofSeconds(1);

    private final HttpCodeStatusMapper codes;
    private final Mono<Status> status;

    public PublicHealthController(ObjectProvider<HealthEndpoint> health, ObjectProvider<HttpCodeStatusMapper> codes) {
        this.codes = codes.getIfAvailable(() -> HttpCodeStatusMapper.DEFAULT);
        this.status = Mono.fromCallable(() -> readiness(health.getIfAvailable()))
                .subscribeOn(Schedulers.boundedElastic())   // a fallback to the overall health may do I/O
                .timeout(TIMEOUT, Mono.just(Status.DOWN))
                .cache(s -> FRESH_FOR, e -> Duration.ZERO, () -> Duration.ZERO);
    }

    @GetMapping(path = "/actuator/health", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<Map<String, String>>> health() {
        return status.map(s -> ResponseEntity.status(codes.getStatusCode(s)).cacheControl(CacheControl.noStore())
                .body(Map.of("status", s.getCode())));
    }

    private static Status readiness(HealthEndpoint health) {
        if (health == null) {
            return Status.UNKNOWN; // the health endpoint is switched off: answered 200, as a live server
        }
        HealthDescriptor group = health.healthForPath("readiness");
        return (group != null ? group : health.health()).getStatus();
    }
}
