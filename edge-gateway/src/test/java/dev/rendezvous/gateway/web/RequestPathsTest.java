package dev.rendezvous.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** The path the filters judge is the one the handler mappings route: no matrix variables, no empty segments. */
class RequestPathsTest {

    @Test
    void shouldDropMatrixVariablesAndEmptySegmentsAndKeepEverythingElse() {
        assertThat(canonical("/ws")).isEqualTo("/ws");
        assertThat(canonical("/ws;x=1")).isEqualTo("/ws");
        assertThat(canonical("/api;x=1/v1/auth/refresh")).isEqualTo("/api/v1/auth/refresh");
        assertThat(canonical("//api//v1/me")).isEqualTo("/api/v1/me");
        assertThat(canonical("/j/ABC-DEF")).isEqualTo("/j/ABC-DEF");
        assertThat(canonical("/meetings/m1/report/")).isEqualTo("/meetings/m1/report/");
        assertThat(canonical("/")).isEqualTo("/");
    }

    private static String canonical(String path) {
        return RequestPaths.canonical(MockServerHttpRequest.get("http://gateway.test" + path).build());
    }
}
