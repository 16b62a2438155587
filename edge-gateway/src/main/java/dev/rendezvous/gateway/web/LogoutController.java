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
 * {@code POST /api/v1/auth/logout} (Bearer, user or guest token): revokes the presented token (its {@code jti}) in
 * the shared revocations until it would have expired anyway; 204. From then on it opens no socket, joins nothing and
 * is refused by every {@code /api/} call ({@link TokenGate}), and the meetings it is in are left: at once on this
 * gateway, within the identity re-check's interval on the others ({@code ws.IdentityRecheck}). Other tokens of the
 * same person stay valid.
 * Not in the outward contract (API.md); documented in docs/rest.md.
 */
@RestController
public class LogoutController {

    private final Bearer bearer;
    private final Revocations revocations;
    private final Consumer<String> endHere;

    /**
     * @param endHere puts the memberships this gateway's sockets hold with a token id out of their meetings, now (the
     *                other gateways find them at their next identity re-check)
     */
    public LogoutController(Bearer bearer, Revocations revocations, Consumer<String> endHere) {
        this.bearer = bearer;
        this.revocations = revocations;
        this.endHere = endHere;
    }

    @PostMapping("/api/v1/auth/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> logout(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        TokenClaims c = bearer.require(authorization);
        if (c.tokenId() == null) {
            return Mono.error(ApiException.invalid("this token has no id (jti) and cannot be revoked"));
        }
        return revocations.revoke(RevocationKeys.token(c.tokenId()), c.expiresAt().plus(TokenService.CLOCK_SKEW))
                .then(Mono.fromRunnable(() -> endHere.accept(c.tokenId())));
    }
}
