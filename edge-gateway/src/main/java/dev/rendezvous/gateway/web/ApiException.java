package dev.rendezvous.gateway.web;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/** An error answer of the REST API: status, machine code, and a message for a person. */
public final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final Duration retryAfter;

    public ApiException(HttpStatus status, String code, String message) {
        this(status, code, message, null);
    }

    /** With {@code Retry-After} (429, or 503 when waiting a moment helps). */
    public ApiException(HttpStatus status, String code, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** For 429 and some 503s: when to try again (sent as {@code Retry-After}), else null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiException invalid(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", message);
    }

    public static ApiException rateLimited(String message, Duration retryAfter) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", message, retryAfter);
    }

    public static ApiException meetingNotFound() {
        return new ApiException(HttpStatus.NOT_FOUND, "meeting_not_found", "no such meeting");
    }
}
