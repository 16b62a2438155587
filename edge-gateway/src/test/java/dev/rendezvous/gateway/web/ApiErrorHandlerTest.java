package dev.rendezvous.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.core.codec.DecodingException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.test.StepVerifier;

class ApiErrorHandlerTest {

    private final ApiErrorHandler handler = new ApiErrorHandler();

    @Test
    void shouldWriteApiExceptionsAsTheirStatusAndCode() {
        MockServerWebExchange ex = exchange();
        StepVerifier.create(handler.handle(ex, new ApiException(HttpStatus.CONFLICT, "email_taken", "taken"))).verifyComplete();
        assertThat(ex.getResponse().getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(ex.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        StepVerifier.create(ex.getResponse().getBodyAsString())
                .expectNext("{\"error\":\"email_taken\",\"message\":\"taken\"}").verifyComplete();
    }

    @Test
    void shouldTranslateFrameworkErrorsToJsonCodes() {
        assertCode(new MethodNotAllowedException(HttpMethod.DELETE, Set.of(HttpMethod.GET)), 405, "method_not_allowed");
        assertCode(new UnsupportedMediaTypeStatusException(MediaType.TEXT_PLAIN, java.util.List.of(MediaType.APPLICATION_JSON)),
                415, "unsupported_media_type");
        assertCode(new NoResourceFoundException(java.net.URI.create("/api/v1/nope"), "api/v1/nope"), 404, "not_found");
        assertCode(new ServerWebInputException("Failed to read HTTP message", null, new DecodingException("bad json")),
                400, "malformed_json");
        assertCode(new ServerWebInputException("No request body"), 400, "invalid_request");
    }

    @Test
    void shouldAnswer503WhenTheDatabaseIsUnreachable() {
        assertCode(new DataAccessResourceFailureException("connection refused"), 503, "dependency_unavailable");
    }

    @Test
    void shouldAnswer503NamingTheServiceButNotTheErrorWhenAGuardSaysADependencyIsDown() {
        MockServerWebExchange ex = exchange();
        StepVerifier.create(handler.handle(ex, new dev.rendezvous.resilience.DependencyUnavailableException(
                dev.rendezvous.resilience.Dependency.S3,
                new java.util.concurrent.TimeoutException("s3.internal:9000 did not answer"))))
                .verifyComplete();
        assertThat(ex.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        StepVerifier.create(ex.getResponse().getBodyAsString())
                .expectNext("{\"error\":\"dependency_unavailable\","
                        + "\"message\":\"file storage is unavailable right now; try again shortly\"}")
                .verifyComplete();
    }

    @Test
    void shouldHideUnexpectedExceptionsBehindInternalError() {
        MockServerWebExchange ex = exchange();
        StepVerifier.create(handler.handle(ex, new IllegalStateException("secret detail"))).verifyComplete();
        assertThat(ex.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        StepVerifier.create(ex.getResponse().getBodyAsString())
                .assertNext(body -> assertThat(body).contains("internal_error").doesNotContain("secret").doesNotContain("Exception"))
                .verifyComplete();
    }

    @Test
    void shouldSetAllowOn405() {
        MockServerWebExchange ex = exchange();
        handler.handle(ex, new MethodNotAllowedException(HttpMethod.DELETE, Set.of(HttpMethod.GET))).block();
        assertThat(ex.getResponse().getHeaders().getAllow()).containsExactly(HttpMethod.GET);
    }

    private void assertCode(Throwable t, int status, String code) {
        ApiErrorHandler.ApiError e = ApiErrorHandler.classify(exchange(), t);
        assertThat(e.status().value()).as(t.toString()).isEqualTo(status);
        assertThat(e.code()).as(t.toString()).isEqualTo(code);
        assertThat(e.message()).isNotBlank();
    }

    private static MockServerWebExchange exchange() {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/x"));
    }
}
