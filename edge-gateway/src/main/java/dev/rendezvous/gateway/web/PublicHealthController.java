package dev.rendezvous.gateway.web;

import java.time.Duration;
import java.util.Map;
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
 * {@code GET /actuator/health} on the public port, as API.md has it (load balancers ask there): the overall status
 * only, {@code {"status":"UP"}} with 200, or 503 when it is DOWN or OUT_OF_SERVICE (Spring's mapping), or when it
 * cannot be had within {@link #TIMEOUT}. The components, the probe groups and the metrics stay on the management port.
 */
@RestController
public class PublicHealthController {

    /** A load balancer's check that waits longer than this has failed anyway. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HealthEndpoint health;
    private final HttpCodeStatusMapper codes = HttpCodeStatusMapper.DEFAULT;

    public PublicHealthController(HealthEndpoint health) {
        this.health = health;
    }

    @GetMapping(path = "/actuator/health", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<Map<String, String>>> health() {
        // the indicators block (JDBC-style checks, bridged reactive ones): off the event loop
        return Mono.fromCallable(() -> health.health().getStatus())
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(TIMEOUT, Mono.just(Status.DOWN))
                .map(s -> ResponseEntity.status(codes.getStatusCode(s)).cacheControl(CacheControl.noStore())
                        .body(Map.of("status", s.getCode())));
    }
}
