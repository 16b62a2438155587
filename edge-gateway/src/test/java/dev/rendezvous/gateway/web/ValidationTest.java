package dev.rendezvous.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;

class ValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"a@b.co", "first.last+tag@example.org", "  alice@example.com "})
    void shouldAcceptPlausibleEmails(String email) {
        assertThat(Validation.email(email)).isEqualTo(email.strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice", "alice@", "@example.com", "alice@example", "a b@example.com", "a@b@c.com",
            "a\u0000b@example.com", "a\u0007@example.com", "a@exa\u007Fmple.com"})
    void shouldRefuseImplausibleEmails(String email) {
        assertInvalid(() -> Validation.email(email));
    }

    @Test
    void shouldRequirePasswordsOfAtLeastEightCharactersAndAtMost72Bytes() {
        assertInvalid(() -> Validation.password("1234567"));
        assertInvalid(() -> Validation.password(null));
        assertThat(Validation.password("12345678")).isEqualTo("12345678");
        assertInvalid(() -> Validation.password("x".repeat(73)));
    }

    @Test
    void shouldTrimDisplayNamesAndBoundThemInCodePoints() {
        assertThat(Validation.displayName("  Alice ")).isEqualTo("Alice");
        assertThat(Validation.displayName("\uD83D\uDE00".repeat(100))).hasSize(200);
        assertInvalid(() -> Validation.displayName("\uD83D\uDE00".repeat(101)));
        assertInvalid(() -> Validation.displayName("   "));
        assertInvalid(() -> Validation.displayName(null));
        assertInvalid(() -> Validation.displayName("bad\u0007bell"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil\u202Egnp.exe", "a\u2066b", "zero\u200Bwidth", "\u200Fmark", "bom\uFEFF", "a\u061Cb"})
    void shouldRefuseNamesWithDirectionOverridesOrZeroWidthSpaces(String name) {
        assertInvalid(() -> Validation.displayName(name));
        assertInvalid(() -> Validation.title(name));
    }

    @Test
    void shouldKeepZeroWidthJoinersThatScriptsAndEmojiNeed() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"; // man ZWJ woman ZWJ girl
        assertThat(Validation.displayName(family)).isEqualTo(family);
        assertThat(Validation.displayName("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")).hasSize(8); // Persian ZWNJ
    }

    @Test
    void shouldParseAStartTimeWithAnOffsetWithinItsWindow() {
        Instant now = Instant.parse("2026-12-05T10:00:00Z");
        assertThat(Validation.startsAt(null, now)).isNull();
        assertThat(Validation.startsAt("2026-12-05T15:30:00+01:00", now)).isEqualTo(Instant.parse("2026-12-05T14:30:00Z"));
        assertThat(Validation.startsAt(" 2026-12-05T09:30Z ", now)).isEqualTo(Instant.parse("2026-12-05T09:30:00Z"));
        assertInvalid(() -> Validation.startsAt("2026-12-05T14:30", now));      // no offset: whose 14:30?
        assertInvalid(() -> Validation.startsAt("tomorrow", now));
        assertInvalid(() -> Validation.startsAt("2026-12-05T08:59:00Z", now));  // more than an hour ago
        assertInvalid(() -> Validation.startsAt("2032-12-05T10:00:00Z", now));  // more than 5 years ahead
    }

    @Test
    void shouldBoundTheParticipantCap() {
        assertThat(Validation.maxParticipants(null)).isNull();
        assertThat(Validation.maxParticipants(2)).isEqualTo(2);
        assertThat(Validation.maxParticipants(1000)).isEqualTo(1000);
        assertInvalid(() -> Validation.maxParticipants(1));
        assertInvalid(() -> Validation.maxParticipants(1001));
        assertInvalid(() -> Validation.maxParticipants(-5));
    }

    @Test
    void shouldBoundTitlesTo200() {
        assertThat(Validation.title("t".repeat(200))).hasSize(200);
        assertInvalid(() -> Validation.title("t".repeat(201)));
        assertInvalid(() -> Validation.title(""));
    }

    @Test
    void shouldDefaultAndCapTheHistoryLimit() {
        assertThat(ChatHistoryController.historyLimit(null)).isEqualTo(100);
        assertThat(ChatHistoryController.historyLimit("7")).isEqualTo(7);
        assertThat(ChatHistoryController.historyLimit("999999")).isEqualTo(5000);
        assertInvalid(() -> ChatHistoryController.historyLimit("0"));
        assertInvalid(() -> ChatHistoryController.historyLimit("ten"));
    }

    private static void assertInvalid(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(e.code()).isEqualTo("invalid_request");
        });
    }
}
