package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.IdentityCheck;
import dev.rendezvous.gateway.auth.PasswordHasher;
import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.store.UniqueViolationException;
import dev.rendezvous.gateway.store.Users;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Registration, login and "who am I" (API.md), and the renewal of a token ({@code POST /api/v1/auth/refresh}, our
 * addition: docs/rest.md).
 */
@RestController
public class AuthController {

    public record RegisterRequest(String email, String password, String displayName) {}

    public record Registered(UUID userId) {}

    public record LoginRequest(String email, String password) {}

    public record LoggedIn(String token, Instant expiresAt) {}

    public record Me(UUID userId, String email, String displayName) {}

    private final MissBudget addressFailures;
    private final MissBudget accountFailures;
    private final Users users;
    private final PasswordHasher passwords;
    private final TokenService tokens;
    private final Bearer bearer;
    private final IdentityCheck identities;
    private final Clock clock;

    /**
     * @param addressFailures failed logins per client address
     * @param accountFailures failed logins per account (normalised email), from any address
     */
    public AuthController(Users users, PasswordHasher passwords, TokenService tokens, Bearer bearer,
                          IdentityCheck identities, Clock clock, MissBudget addressFailures, MissBudget accountFailures) {
        this.identities = identities;
        this.addressFailures = addressFailures;
        this.accountFailures = accountFailures;
        this.users = users;
        this.passwords = passwords;
        this.tokens = tokens;
        this.bearer = bearer;
        this.clock = clock;
    }

    @PostMapping("/api/v1/auth/register")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<Registered> register(@RequestBody RegisterRequest body) {
        String email = Validation.email(body.email());
        String password = Validation.password(body.password());
        String name = Validation.displayName(body.displayName());
        return users.emailTaken(email)
                .flatMap(taken -> taken ? Mono.error(emailTaken()) : passwords.hash(password))
                .flatMap(hash -> users.create(email, hash, name, clock.instant()))
                .onErrorMap(UniqueViolationException.class, e -> emailTaken())
                .map(u -> new Registered(u.id()));
    }

    /**
     * Checks the password (a decoy hash for unknown emails, so both take the same time). Failed logins are counted
     * per client address and per account; once either budget is spent the call answers 429 {@code rate_limited}
     * at once, without hashing anything, so a brute-force run costs the server no bcrypt work.
     */
    @PostMapping("/api/v1/auth/login")
    public Mono<LoggedIn> login(@RequestBody LoginRequest body, ServerHttpRequest request) {
        String email = body.email() == null ? "" : body.email().strip();
        String password = body.password() == null ? "" : body.password();
        String address = MissBudget.address(request);
        String account = email.toLowerCase(java.util.Locale.ROOT);
        return addressFailures.check(address).then(accountFailures.check(account)).then(Mono.defer(() -> {
            if (email.isEmpty() || password.isEmpty() || !PasswordHasher.fits(password)
                    || email.codePoints().anyMatch(Character::isISOControl)) {   // no such address; PostgreSQL refuses NUL
                return addressFailures.miss(address).then(Mono.<LoggedIn>error(badCredentials()));
            }
            return users.findByEmail(email)
                    .flatMap(u -> passwords.matches(password, u.passwordHash())
                            .flatMap(ok -> ok ? Mono.just(u) : Mono.error(badCredentials())))
                    .switchIfEmpty(Mono.defer(() -> passwords.matches(password, null).then(Mono.error(badCredentials()))))
                    .onErrorResume(ApiException.class, e -> addressFailures.miss(address)
                            .then(accountFailures.miss(account)).then(Mono.error(e)))
                    .map(u -> {
                        TokenService.IssuedToken t = tokens.issueUser(u.id(), u.displayName());
                        return new LoggedIn(t.token(), t.expiresAt());
                    });
        }));
    }

    /**
     * A renewed token for the bearer (user or guest): the same person and session, a new {@code jti} and an
     * {@code exp} one lifetime from now, as the meeting's socket gives ({@link TokenService#renew}). A revoked token
     * (checked here too, not only by {@link TokenGate}: a renewal must never outlive a logout) or a user who no longer
     * exists is 401; a session at its longest life, or a token issued before sessions were written into tokens, is
     * 409 {@code session_limit} (its token works until it expires; then log in again).
     */
    @PostMapping("/api/v1/auth/refresh")
    public Mono<LoggedIn> refresh(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        TokenClaims c = bearer.require(authorization);
        return identities.refusal(c, null, true).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(refused -> {
            if (refused.isPresent()) {
                return Mono.error(ApiException.unauthorized(refused.get()));
            }
            return Mono.justOrEmpty(tokens.renew(c))
                    .map(t -> new LoggedIn(t.token(), t.expiresAt()))
                    .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.CONFLICT, "session_limit",
                            "this session cannot be renewed any more; log in again before " + c.expiresAt())));
        });
    }

    @GetMapping("/api/v1/me")
    public Mono<Me> me(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        TokenClaims c = bearer.requireUser(authorization);
        return users.findById(c.userId())
                .switchIfEmpty(Mono.error(() -> ApiException.unauthorized("the token's user no longer exists")))
                .map(u -> new Me(u.id(), u.email(), u.displayName()));
    }

    private static ApiException emailTaken() {
        return new ApiException(HttpStatus.CONFLICT, "email_taken", "an account with this email already exists");
    }

    private static ApiException badCredentials() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "invalid_credentials", "wrong email or password");
    }
}
