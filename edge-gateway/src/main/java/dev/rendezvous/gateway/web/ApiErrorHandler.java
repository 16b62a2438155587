package dev.rendezvous.gateway.web;

import dev.rendezvous.resilience.DependencyUnavailableException;
import dev.rendezvous.topics.serde.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import org.springframework.core.Ordered;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * The one error handler of the HTTP side (it replaces Spring Boot's): every error, ours or the framework's (unknown
 * path, wrong method, wrong media type, unreadable body), becomes {@code {"error": code, "message": text}} with the
 * right status. A dependency that is down (a {@link DependencyUnavailableException} from a guard, or an unguarded
 * unreachable database) is 503 {@code dependency_unavailable}; other unexpected exceptions are logged here
 * and answered 500 {@code internal_error}, never with a trace.
 */
public final class ApiErrorHandler implements ErrorWebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    /** The code of a 503 because something the call needs (PostgreSQL, S3, Aerospike) is down. */
    public static final String DEPENDENCY_UNAVAILABLE = "dependency_unavailable";

    /** The body of an error answer, for those who want to map it. */
    public record ApiError(HttpStatus status, String code, String message) {}

    @Override
    public int getOrder() {
        return -2; // before Spring's own handlers
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        ApiError e = classify(exchange, ex);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.message());
        byte[] bytes = Json.mapper().writeValueAsBytes(body);
        response.setStatusCode(e.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(bytes.length);
        if (ex instanceof ApiException a && a.retryAfter() != null) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, a.retryAfter().toSeconds())));
        }
        if (ex instanceof MethodNotAllowedException m && !m.getSupportedMethods().isEmpty()) {
            response.getHeaders().setAllow(m.getSupportedMethods());
        }
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }

    static ApiError classify(ServerWebExchange exchange, Throwable ex) {
        if (ex instanceof ApiException a) {
            return new ApiError(a.status(), a.code(), a.getMessage());
        }
        String call = exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value();
        if (ex instanceof MethodNotAllowedException m) {
            return new ApiError(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    m.getHttpMethod() + " is not allowed on " + exchange.getRequest().getPath().value()
                            + (m.getSupportedMethods().isEmpty() ? "" : "; allowed: " + m.getSupportedMethods()));
        }
        if (ex instanceof UnsupportedMediaTypeStatusException u) {
            return new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "send the body as application/json" + (u.getContentType() == null ? "" : ", not " + u.getContentType()));
        }
        if (ex instanceof NotAcceptableStatusException) {
            return new ApiError(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "this call answers application/json only");
        }
        if (ex instanceof NoResourceFoundException) {
            return new ApiError(HttpStatus.NOT_FOUND, "not_found", "no such endpoint: " + call);
        }
        if (ex instanceof ServerWebInputException in) {
            String reason = in.getReason() == null ? "" : in.getReason();
            if (reason.toLowerCase(Locale.ROOT).contains("no request body")) {
                return new ApiError(HttpStatus.BAD_REQUEST, "invalid_request", "a JSON request body is required");
            }
            if (hasCause(in, JacksonException.class) || hasCause(in, DecodingException.class)) {
                return new ApiError(HttpStatus.BAD_REQUEST, "malformed_json",
                        "the request body is not valid JSON of the expected shape");
            }
            return new ApiError(HttpStatus.BAD_REQUEST, "invalid_request",
                    reason.isEmpty() ? "the request is invalid" : reason);
        }
        if (ex instanceof ResponseStatusException r) {
            HttpStatusCode code = r.getStatusCode();
            HttpStatus status = HttpStatus.resolve(code.value());
            if (status == HttpStatus.NOT_FOUND) {
                return new ApiError(HttpStatus.NOT_FOUND, "not_found", "no such endpoint: " + call);
            }
            if (status != null && code.is4xxClientError()) {
                return new ApiError(status, status.name().toLowerCase(Locale.ROOT),
                        r.getReason() == null ? status.getReasonPhrase() : r.getReason());
            }
        }
        if (ex instanceof DependencyUnavailableException d) {
            log.warn("{} failed: {}", call, d.getMessage());
            return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, DEPENDENCY_UNAVAILABLE, d.dependency().description()
                    + " is unavailable right now; try again shortly");
        }
        if (hasCause(ex, DataAccessResourceFailureException.class) || hasCause(ex, R2dbcTransientException.class)
                || hasCause(ex, R2dbcNonTransientResourceException.class) || hasCause(ex, java.net.ConnectException.class)) {
            log.warn("{} failed: the database is unreachable ({})", call, ex.toString());
            return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, DEPENDENCY_UNAVAILABLE,
                    "the database is unavailable right now; try again shortly");
        }
        log.error("unexpected error on {}", call, ex);
        return new ApiError(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "something went wrong on our side; try again later");
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
