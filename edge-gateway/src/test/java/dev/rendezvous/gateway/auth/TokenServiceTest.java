package dev.rendezvous.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.rendezvous.testsupport.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TokenServiceTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:00Z"));
    private final TokenService tokens = new TokenService(KEY, Duration.ofHours(1), clock);

    @Test
    void shouldIssueUserTokenThatVerifiesWithItsClaims() throws Exception {
        UUID user = UUID.randomUUID();
        TokenService.IssuedToken issued = tokens.issueUser(user, "Alice");

        TokenClaims c = tokens.verify(issued.token());

        assertThat(c.isUser()).isTrue();
        assertThat(c.userId()).isEqualTo(user);
        assertThat(c.subject()).isEqualTo(user.toString());
        assertThat(c.name()).isEqualTo("Alice");
        assertThat(c.meetingId()).isNull();
        assertThat(c.tokenId()).isNotBlank();
        assertThat(c.expiresAt()).isEqualTo(Instant.parse("2030-01-01T11:00:00Z")).isEqualTo(issued.expiresAt());
    }

    @Test
    void shouldIssueGuestTokenValidOnlyForItsMeeting() throws Exception {
        UUID meeting = UUID.randomUUID();
        TokenClaims c = tokens.verify(tokens.issueGuest(meeting, "Bob").token());

        assertThat(c.isGuest()).isTrue();
        assertThat(c.subject()).startsWith("guest:");
        assertThat(c.meetingId()).isEqualTo(meeting);
        assertThat(c.isGuestOf(meeting)).isTrue();
        assertThat(c.isGuestOf(UUID.randomUUID())).isFalse();
        assertThatThrownBy(c::userId).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldGiveEveryTokenItsOwnJti() throws Exception {
        UUID user = UUID.randomUUID();
        assertThat(tokens.verify(tokens.issueUser(user, "A").token()).tokenId())
                .isNotEqualTo(tokens.verify(tokens.issueUser(user, "A").token()).tokenId());
    }

    @Test
    void shouldAcceptTokenExpiredLessThanClockSkewAgo() throws Exception {
        String t = tokens.issueUser(UUID.randomUUID(), "A").token();
        clock.advance(Duration.ofHours(1).plusSeconds(29));
        assertThat(tokens.verify(t).name()).isEqualTo("A");
    }

    @Test
    void shouldRejectTokenExpiredBeyondClockSkew() {
        String t = tokens.issueUser(UUID.randomUUID(), "A").token();
        clock.advance(Duration.ofHours(1).plusSeconds(31));
        assertThatThrownBy(() -> tokens.verify(t)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("expired");
    }

    @Test
    void shouldRejectTokenIssuedInTheFuture() throws Exception {
        MutableClock early = new MutableClock(clock.instant().minus(Duration.ofMinutes(5)));
        String t = tokens.issueUser(UUID.randomUUID(), "A").token();
        assertThatThrownBy(() -> new TokenService(KEY, Duration.ofHours(1), early).verify(t))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("not valid yet");
    }

    @Test
    void shouldRejectTokenSignedWithAnotherKey() {
        TokenService other = new TokenService("another-key-another-key-another-key!".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(1), clock);
        String forged = other.issueUser(UUID.randomUUID(), "Mallory").token();
        assertThatThrownBy(() -> tokens.verify(forged)).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void shouldRejectTokenWhosePayloadWasTamperedWith() {
        String t = tokens.issueGuest(UUID.randomUUID(), "Eve").token();
        String[] parts = t.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"guest\"", "\"user\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThatThrownBy(() -> tokens.verify(tampered)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void shouldRejectUnsignedToken() {
        String plain = new PlainJWT(new JWTClaimsSet.Builder().subject(UUID.randomUUID().toString())
                .claim("kind", "user").claim("name", "x").expirationTime(Date.from(clock.instant().plusSeconds(60)))
                .build()).serialize();
        assertThatThrownBy(() -> tokens.verify(plain)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void shouldRejectGarbageAndMissingTokens() {
        assertThatThrownBy(() -> tokens.verify(null)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("required");
        assertThatThrownBy(() -> tokens.verify("  ")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> tokens.verify("not-a-jwt")).isInstanceOf(InvalidTokenException.class).hasMessageContaining("malformed");
    }

    @Test
    void shouldRejectCorrectlySignedTokenOfUnknownKind() throws Exception {
        String t = sign(new JWTClaimsSet.Builder().subject(UUID.randomUUID().toString()).claim("name", "A")
                .claim("kind", "admin").expirationTime(Date.from(clock.instant().plusSeconds(60))).build());
        assertThatThrownBy(() -> tokens.verify(t)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("not a Rendezvous");
    }

    @Test
    void shouldRejectGuestKindWithoutMeeting() throws Exception {
        String t = sign(new JWTClaimsSet.Builder().subject("guest:" + UUID.randomUUID()).claim("name", "A")
                .claim("kind", "guest").expirationTime(Date.from(clock.instant().plusSeconds(60))).build());
        assertThatThrownBy(() -> tokens.verify(t)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("guest");
    }

    @Test
    void shouldRejectUserKindWhoseSubjectIsNotAUserId() throws Exception {
        String t = sign(new JWTClaimsSet.Builder().subject("guest:" + UUID.randomUUID()).claim("name", "A")
                .claim("kind", "user").expirationTime(Date.from(clock.instant().plusSeconds(60))).build());
        assertThatThrownBy(() -> tokens.verify(t)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("user");
    }

    @Test
    void shouldRejectTokenWithoutExpiry() throws Exception {
        String t = sign(new JWTClaimsSet.Builder().subject(UUID.randomUUID().toString()).claim("name", "A")
                .claim("kind", "user").build());
        assertThatThrownBy(() -> tokens.verify(t)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("expiry");
    }

    @Test
    void shouldRefuseSecretsShorterThan32Bytes() {
        assertThatThrownBy(() -> new TokenService(new byte[31], Duration.ofHours(1), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldWriteIssuerAndAudienceAndRefuseTokensWithAnotherOrNone() throws Exception {
        SignedJWT issued = SignedJWT.parse(tokens.issueUser(UUID.randomUUID(), "A").token());
        assertThat(issued.getJWTClaimsSet().getIssuer()).isEqualTo(TokenService.DEFAULT_ISSUER);
        assertThat(issued.getJWTClaimsSet().getAudience()).containsExactly(TokenService.DEFAULT_AUDIENCE);

        JWTClaimsSet.Builder valid = new JWTClaimsSet.Builder().subject(UUID.randomUUID().toString()).claim("name", "A")
                .claim("kind", "user").expirationTime(Date.from(clock.instant().plusSeconds(60)));
        assertThat(tokens.verify(sign(valid.build())).name()).isEqualTo("A");
        String wrongAud = signAsIs(new JWTClaimsSet.Builder(valid.build()).issuer(TokenService.DEFAULT_ISSUER)
                .audience("another-service").build());
        String noAud = signAsIs(new JWTClaimsSet.Builder(valid.build()).issuer(TokenService.DEFAULT_ISSUER).build());
        String wrongIss = signAsIs(new JWTClaimsSet.Builder(valid.build()).issuer("someone-else")
                .audience(TokenService.DEFAULT_AUDIENCE).build());
        String noIss = signAsIs(new JWTClaimsSet.Builder(valid.build()).audience(TokenService.DEFAULT_AUDIENCE).build());
        assertThatThrownBy(() -> tokens.verify(wrongAud)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("not meant");
        assertThatThrownBy(() -> tokens.verify(noAud)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("not meant");
        assertThatThrownBy(() -> tokens.verify(wrongIss)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("not issued");
        assertThatThrownBy(() -> tokens.verify(noIss)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("not issued");

        // the same key configured for another deployment (issuer/audience) does not take this one's tokens
        TokenService elsewhere = new TokenService(KEY, Duration.ofHours(1), clock, "https://other.example", "https://other.example");
        assertThatThrownBy(() -> elsewhere.verify(issued.serialize())).isInstanceOf(InvalidTokenException.class);
        assertThat(elsewhere.verify(elsewhere.issueGuest(UUID.randomUUID(), "G").token()).isGuest()).isTrue();
    }

    @Test
    void shouldRenewATokenForTheSameBearerAndSessionUntilTheSessionsEnd() throws Exception {
        TokenService capped = new TokenService(KEY, Duration.ofHours(1), Duration.ofMinutes(150), clock,
                TokenService.DEFAULT_ISSUER, TokenService.DEFAULT_AUDIENCE);
        UUID meeting = UUID.randomUUID();
        TokenClaims first = capped.verify(capped.issueGuest(meeting, "Bob").token());
        assertThat(first.sessionId()).as("a fresh token is its own session").isEqualTo(first.tokenId());
        assertThat(first.authTime()).isEqualTo(clock.instant());
        assertThat(capped.renewalDue(first)).isFalse();

        clock.advance(Duration.ofMinutes(31));
        assertThat(capped.renewalDue(first)).isTrue();
        TokenService.IssuedToken second = capped.renew(first).orElseThrow();
        TokenClaims c = capped.verify(second.token());
        assertThat(c).isEqualTo(second.claims());
        assertThat(c.subject()).isEqualTo(first.subject());
        assertThat(c.name()).isEqualTo("Bob");
        assertThat(c.isGuestOf(meeting)).isTrue();
        assertThat(c.tokenId()).isNotEqualTo(first.tokenId());
        assertThat(c.sessionId()).isEqualTo(first.tokenId());
        assertThat(c.authTime()).isEqualTo(first.authTime());
        assertThat(c.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));

        clock.advance(Duration.ofMinutes(60));
        TokenClaims third = capped.verify(capped.renew(c).orElseThrow().token());
        assertThat(third.expiresAt()).as("not past the session's 150 minutes")
                .isEqualTo(first.authTime().plus(Duration.ofMinutes(150)));
        assertThat(third.sessionId()).isEqualTo(first.tokenId());
        // a logout now with the session's first token (long expired) is revoked past the newest token's last moment
        assertThat(capped.sessionRevocationUntil(first)).isAfter(third.expiresAt().plus(TokenService.CLOCK_SKEW));
        clock.advance(Duration.ofMinutes(40));
        assertThat(capped.renew(third)).as("nothing longer to give").isEmpty();

        clock.advance(Duration.ofMinutes(19));
        assertThat(capped.expired(third)).as("within the clock skew").isFalse();
        clock.advance(Duration.ofSeconds(31));
        assertThat(capped.expired(third)).isTrue();
    }

    @Test
    void shouldTakeATokenWithoutSessionClaimsAsItsOwnSessionAndNotRenewIt() throws Exception {
        String old = sign(new JWTClaimsSet.Builder().subject(UUID.randomUUID().toString()).claim("name", "A")
                .claim("kind", "user").jwtID("j-1").expirationTime(Date.from(clock.instant().plusSeconds(600))).build());
        TokenClaims c = tokens.verify(old);
        assertThat(c.sessionId()).isEqualTo("j-1");
        assertThat(c.authTime()).isNull();
        assertThat(tokens.renew(c)).isEmpty();
    }

    /** Signs with this service's key, adding its issuer and audience when the claims have none. */
    private static String sign(JWTClaimsSet claims) throws Exception {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder(claims);
        if (claims.getIssuer() == null) {
            b.issuer(TokenService.DEFAULT_ISSUER);
        }
        if (claims.getAudience() == null || claims.getAudience().isEmpty()) {
            b.audience(TokenService.DEFAULT_AUDIENCE);
        }
        return signAsIs(b.build());
    }

    private static String signAsIs(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(KEY));
        return jwt.serialize();
    }
}
