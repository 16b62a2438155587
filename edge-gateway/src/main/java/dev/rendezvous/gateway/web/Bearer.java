package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.InvalidTokenException;
import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.auth.TokenService;

/** Reads {@code Authorization: Bearer <jwt>}; any problem is a 401 {@code unauthorized}. */
public final class Bearer {

    private final TokenService tokens;

    public Bearer(TokenService tokens) {
        this.tokens = tokens;
    }

    public TokenClaims require(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.unauthorized("an Authorization: Bearer <token> header is required");
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("the Authorization header must be \"Bearer <token>\"");
        }
        try {
            return tokens.verify(value.substring(7).trim());
        } catch (InvalidTokenException e) {
            throw ApiException.unauthorized(e.getMessage());
        }
    }

    /** A user token (not a guest's). */
    public TokenClaims requireUser(String authorization) {
        TokenClaims c = require(authorization);
        if (!c.isUser()) {
            throw ApiException.unauthorized("this call needs a user token, not a guest token");
        }
        return c;
    }
}
