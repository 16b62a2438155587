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
import java.util.UUID;

/**
 * Issues and verifies the HS256 JWTs that are the only session state (no server-side session store). Claims:
 * {@code sub} (user uuid or {@code guest:<uuid>}), {@code name}, {@code kind} (user|guest), {@code mid} (guest tokens:
 * the one meeting they are valid for), {@code iss}, {@code aud}, {@code iat}, {@code exp}, {@code jti}. Verification
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

    /** A freshly issued token and when it stops working. */
    public record IssuedToken(String token, Instant expiresAt, TokenClaims claims) {}

    private final MACSigner signer;
    private final JWSVerifier verifier;
    private final Duration ttl;
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
        this.clock = clock;
    }

    public IssuedToken issueUser(UUID userId, String displayName) {
        return issue(userId.toString(), displayName, TokenClaims.Kind.USER, null);
    }

    public IssuedToken issueGuest(UUID meetingId, String displayName) {
        return issue(GUEST_PREFIX + UUID.randomUUID(), displayName, TokenClaims.Kind.GUEST, meetingId);
    }

    private IssuedToken issue(String subject, String name, TokenClaims.Kind kind, UUID meetingId) {
        Instant now = clock.instant();
        // JWT times have second precision; truncate so that what we report is what the token says
        Instant iat = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant exp = iat.plus(ttl);
        String jti = UUID.randomUUID().toString();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(issuer)
                .audience(audience)
                .claim("name", name)
                .claim("kind", kind.claim())
                .issueTime(Date.from(iat))
                .expirationTime(Date.from(exp))
                .jwtID(jti);
        if (meetingId != null) {
            claims.claim("mid", meetingId.toString());
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return new IssuedToken(jwt.serialize(), exp, new TokenClaims(subject, name, kind, meetingId, jti, exp));
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
        try {
            name = c.getStringClaim("name");
            kindClaim = c.getStringClaim("kind");
            mid = c.getStringClaim("mid");
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
        return new TokenClaims(subject, name, kind, meetingId, c.getJWTID(), exp.toInstant());
    }

    static boolean isUuid(String s) {
        try {
            return UUID.fromString(s).toString().equalsIgnoreCase(s);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
