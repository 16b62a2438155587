package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.shared.RevocationKeys;
import dev.rendezvous.gateway.shared.Revocations;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/auth/logout} (Bearer, user or guest token): revokes the presented token's session (its
 * {@code sid}: the token and every token renewed from the same login or guest call, before or after it) in the
 * shared revocations until the last of them would have expired anyway; 204. From then on they open no socket, join
 * nothing and are refused by every {@code /api/} call ({@link TokenGate}), and the meetings they are in are left: at
 * once on this gateway, within the identity re-check's interval on the others ({@code ws.IdentityRecheck}). Other
 * sessions of the same person (another login) stay valid.
 * Not in the outward contract (API.md); documented in docs/rest.md.
 */
@RestController
public class LogoutController {

    private final Bearer bearer;
    private final TokenService tokens;
    private final Revocations revocations;
    private final Consumer<String> endHere;

    /**
     * @param endHere puts the memberships this gateway's sockets hold with a session's tokens out of their meetings,
     *                now (the other gateways find them at their next identity re-check)
     */
    public LogoutController(Bearer bearer, TokenService tokens, Revocations revocations, Consumer<String> endHere) {
        this.bearer = bearer;
        this.tokens = tokens;
        this.revocations = revocations;
        this.endHere = endHere;
    }

    @PostMapping("/api/v1/auth/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> logout(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        TokenClaims c = bearer.require(authorization);
        if (c.sessionId() == null) {
            return Mono.error(ApiException.invalid("this token has no id (jti) and cannot be revoked"));
        }
        java.time.Instant until = tokens.sessionRevocationUntil(c);
        // the token's own key too, for gateways of the version before sessions (a rolling upgrade) that read only it
        Mono<Void> own = c.tokenId() != null && !c.tokenId().equals(c.sessionId())
                ? revocations.revoke(RevocationKeys.token(c.tokenId()), until) : Mono.empty();
        return revocations.revoke(RevocationKeys.token(c.sessionId()), until).then(own)
                .then(Mono.fromRunnable(() -> endHere.accept(c.sessionId())));
    }
}
