package dev.rendezvous.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    @ValueSource(strings = {"", "alice", "alice@", "@example.com", "alice@example", "a b@example.com", "a@b@c.com"})
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

    @Test
    void shouldBoundTitlesTo200() {
        assertThat(Validation.title("t".repeat(200))).hasSize(200);
        assertInvalid(() -> Validation.title("t".repeat(201)));
        assertInvalid(() -> Validation.title(""));
    }

    @Test
    void shouldDefaultAndCapTheHistoryLimit() {
        assertThat(MeetingController.historyLimit(null)).isEqualTo(100);
        assertThat(MeetingController.historyLimit("7")).isEqualTo(7);
        assertThat(MeetingController.historyLimit("999999")).isEqualTo(5000);
        assertInvalid(() -> MeetingController.historyLimit("0"));
        assertInvalid(() -> MeetingController.historyLimit("ten"));
    }

    private static void assertInvalid(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(e.code()).isEqualTo("invalid_request");
        });
    }
}
