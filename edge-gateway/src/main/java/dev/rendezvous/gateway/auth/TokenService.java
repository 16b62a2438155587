package dev.rendezvous.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues and verifies the HS256 JWTs that are the only session state (no server-side session store). Claims:
 * {@code sub} (user uuid or {@code guest:<uuid>}), {@code name}, {@code kind} (user|guest), {@code mid} (guest tokens:
 * the one meeting they are valid for), {@code iss}, {@code aud}, {@code iat}, {@code exp}, {@code jti}, and the session's
 * {@code sid} and {@code auth_time} (see {@link TokenClaims}). A token in use in a meeting is renewed over its socket
 * ({@link #renew}: same bearer, new {@code jti} and {@code exp}, same session) until its session is
 * {@code sessionMax} old; a logout revokes the whole session. Verification
 * checks the algorithm, the signature, the issuer and audience (exactly this service's: a token another service
 * signed with a shared key, or one minted for another audience, is refused), expiry (with {@link #CLOCK_SKEW} of
 * tolerance) and that kind, subject and mid are consistent.
 * Pure CPU, microseconds: safe on an event loop.
 */
public final class TokenService {

    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    public static final String GUEST_PREFIX = "guest:";
    /** The {@code iss} and {@code aud} when none are configured ({@code rendezvous.auth.issuer} / {@code audience}). */
    public static final String DEFAULT_ISSUER = "rendezvous";
    public static final String DEFAULT_AUDIENCE = "rendezvous";
    /**
     * Added to a session's revocation: a re-check pass that read the stores just before a logout may still renew a
     * token of the session after it (and the gateways' clocks differ), so a token could outlive the revocation by that.
     */
    static final Duration RENEWAL_MARGIN = Duration.ofMinutes(5);
    /** The longest a session's renewals go on when none is configured ({@code rendezvous.auth.session-max}). */
    public static final Duration DEFAULT_SESSION_MAX = Duration.ofHours(24);

    /** A freshly issued token and when it stops working. */
    public record IssuedToken(String token, Instant expiresAt, TokenClaims claims) {}

    private final MACSigner signer;
    private final JWSVerifier verifier;
    private final Duration ttl;
    private final Duration sessionMax;
    private final Clock clock;
    private final String issuer;
    private final String audience;

    /** With the default issuer and audience. @param secret at least 32 bytes (HS256) */
    public TokenService(byte[] secret, Duration ttl, Clock clock) {
        this(secret, ttl, clock, DEFAULT_ISSUER, DEFAULT_AUDIENCE);
    }

    /**
     * @param secret   at least 32 bytes (HS256)
     * @param issuer   the {@code iss} written into tokens and required of every token verified
     * @param audience the {@code aud} written into tokens and required of every token verified
     */
    public TokenService(byte[] secret, Duration ttl, Clock clock, String issuer, String audience) {
        this(secret, ttl, DEFAULT_SESSION_MAX, clock, issuer, audience);
    }

    /**
     * @param secret     at least 32 bytes (HS256)
     * @param ttl        the life of each token issued or renewed
     * @param sessionMax how long after its login (or guest call) a session's tokens may be renewed: none lives longer
     * @param issuer     the {@code iss} written into tokens and required of every token verified
     * @param audience   the {@code aud} written into tokens and required of every token verified
     */
    public TokenService(byte[] secret, Duration ttl, Duration sessionMax, Clock clock, String issuer, String audience) {
        if (ttl.isNegative() || ttl.isZero() || sessionMax.compareTo(ttl) < 0) {
            throw new IllegalArgumentException("the token lifetime must be positive and the session's at least as long");
        }
        if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("the token issuer and audience must not be blank");
        }
        this.issuer = issuer;
        this.audience = audience;
        if (secret.length < 32) {
            throw new IllegalArgumentException("the JWT secret must be at least 32 bytes");
        }
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable JWT secret: " + e.getMessage(), e);
        }
        this.ttl = ttl;
        this.sessionMax = sessionMax;
        this.clock = clock;
    }

    public IssuedToken issueUser(UUID userId, String displayName) {
        return issue(userId.toString(), displayName, TokenClaims.Kind.USER, null, null, null);
    }

    public IssuedToken issueGuest(UUID meetingId, String displayName) {
        return issue(GUEST_PREFIX + UUID.randomUUID(), displayName, TokenClaims.Kind.GUEST, meetingId, null, null);
    }

    /**
     * A new token for the bearer of {@code current} (verified before): same subject, name, kind, meeting and session,
     * a new {@code jti}, and an {@code exp} one lifetime from now but not past the session's end ({@code auth_time} +
     * {@code sessionMax}). Empty when it would not outlive {@code current}: the session is at its end, or its start is
     * unknown.
     */
    public Optional<IssuedToken> renew(TokenClaims current) {
        if (current.authTime() == null) {
            return Optional.empty();
        }
        Instant iat = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant exp = min(iat.plus(ttl), current.authTime().plus(sessionMax));
        if (current.expiresAt() != null && !exp.isAfter(current.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(issue(current.subject(), current.name(), current.kind(), current.meetingId(),
                current.sessionId(), current.authTime(), iat, exp));
    }

    /** True when less than half of a token's life is left: the time to {@link #renew} it. */
    public boolean renewalDue(TokenClaims c) {
        return c.expiresAt() != null && Duration.between(clock.instant(), c.expiresAt()).compareTo(ttl.dividedBy(2)) < 0;
    }

    /** True when a token would no longer verify (past its {@code exp} and the clock skew allowed). */
    public boolean expired(TokenClaims c) {
        return c.expiresAt() != null && clock.instant().isAfter(c.expiresAt().plus(CLOCK_SKEW));
    }

    /**
     * How long a revocation of {@code c}'s session must last: until no token of the session can verify any more. Any
     * of them was issued by now, so expires within one lifetime from now (and not after the session's end) — give or
     * take {@link #RENEWAL_MARGIN}: a renewal on another gateway whose store read came just before the revocation.
     */
    public Instant sessionRevocationUntil(TokenClaims c) {
        Instant latest = clock.instant().plus(ttl);
        if (c.authTime() != null) {
            latest = min(latest, c.authTime().plus(sessionMax));
        }
        return max(latest, c.expiresAt() == null ? latest : c.expiresAt()).plus(CLOCK_SKEW).plus(RENEWAL_MARGIN);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private IssuedToken issue(String subject, String name, TokenClaims.Kind kind, UUID meetingId, String sessionId,
                              Instant authTime) {
        // JWT times have second precision; truncate so that what we report is what the token says
        Instant iat = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return issue(subject, name, kind, meetingId, sessionId, authTime, iat, iat.plus(ttl));
    }

    private IssuedToken issue(String subject, String name, TokenClaims.Kind kind, UUID meetingId, String sessionId,
                              Instant authTime, Instant iat, Instant exp) {
        String jti = UUID.randomUUID().toString();
        String sid = sessionId == null ? jti : sessionId;
        Instant started = authTime == null ? iat : authTime;
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(issuer)
                .audience(audience)
                .claim("name", name)
                .claim("kind", kind.claim())
                .issueTime(Date.from(iat))
                .expirationTime(Date.from(exp))
                .jwtID(jti)
                .claim("sid", sid)
                .claim("auth_time", started.getEpochSecond());
        if (meetingId != null) {
            claims.claim("mid", meetingId.toString());
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return new IssuedToken(jwt.serialize(), exp,
                new TokenClaims(subject, name, kind, meetingId, jti, exp, sid, started));
    }

    /** Verifies a compact JWT; the exception's message says why it is refused, fit for a client. */
    public TokenClaims verify(String token) throws InvalidTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("a token is required");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token.trim());
        } catch (ParseException e) {
            throw new InvalidTokenException("the token is malformed");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidTokenException("the token is not signed with HS256");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new InvalidTokenException("the token's signature is invalid");
            }
        } catch (JOSEException e) {
            throw new InvalidTokenException("the token's signature cannot be verified");
        }
        JWTClaimsSet c;
        try {
            c = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException("the token's claims are malformed");
        }
        if (!issuer.equals(c.getIssuer())) {
            throw new InvalidTokenException("the token was not issued by this service");
        }
        java.util.List<String> aud = c.getAudience();
        if (aud == null || !aud.contains(audience)) {
            throw new InvalidTokenException("the token is not meant for this service");
        }
        Date exp = c.getExpirationTime();
        if (exp == null) {
            throw new InvalidTokenException("the token has no expiry");
        }
        Instant now = clock.instant();
        if (now.isAfter(exp.toInstant().plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("the token has expired");
        }
        Date iat = c.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("the token is not valid yet");
        }
        String subject = c.getSubject();
        String name;
        String kindClaim;
        String mid;
        String sid;
        Long authTime;
        try {
            name = c.getStringClaim("name");
            kindClaim = c.getStringClaim("kind");
            mid = c.getStringClaim("mid");
            sid = c.getStringClaim("sid");
            authTime = c.getLongClaim("auth_time");
        } catch (ParseException e) {
            throw new InvalidTokenException("the token's claims are malformed");
        }
        TokenClaims.Kind kind = TokenClaims.Kind.fromClaim(kindClaim);
        if (kind == null || subject == null || name == null) {
            throw new InvalidTokenException("the token is not a Rendezvous user or guest token");
        }
        UUID meetingId = null;
        if (kind == TokenClaims.Kind.USER) {
            if (mid != null || !isUuid(subject)) {
                throw new InvalidTokenException("the token is not a valid user token");
            }
        } else {
            if (mid == null || !isUuid(mid) || !subject.startsWith(GUEST_PREFIX)
                    || !isUuid(subject.substring(GUEST_PREFIX.length()))) {
                throw new InvalidTokenException("the token is not a valid guest token");
            }
            meetingId = UUID.fromString(mid);
        }
        return new TokenClaims(subject, name, kind, meetingId, c.getJWTID(), exp.toInstant(), sid,
                authTime == null ? null : Instant.ofEpochSecond(authTime));
    }

    static boolean isUuid(String s) {
        try {
            return UUID.fromString(s).toString().equalsIgnoreCase(s);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
