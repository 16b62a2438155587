package dev.rendezvous.gateway.web;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Absolute links handed to people ({@code joinUrl}): {@code rendezvous.gateway.public-url} when configured (the
 * address users reach, e.g. a load balancer), else the scheme, host and port the request came in on.
 */
public final class PublicUrls {

    private final String publicUrl;

    public PublicUrls(String publicUrl) {
        this.publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.strip().replaceAll("/+$", "");
    }

    public String base(ServerHttpRequest request) {
        if (publicUrl != null) {
            return publicUrl;
        }
        return UriComponentsBuilder.fromUri(request.getURI()).replacePath(null).replaceQuery(null).fragment(null)
                .build().toUriString();
    }

    public String joinUrl(ServerHttpRequest request, String code) {
        return base(request) + "/j/" + code;
    }
}
