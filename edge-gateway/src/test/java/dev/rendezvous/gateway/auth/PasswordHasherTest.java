package dev.rendezvous.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(4, Schedulers.boundedElastic());

    @Test
    void shouldHashOffTheCallingThreadAndVerify() {
        String caller = Thread.currentThread().getName();
        StepVerifier.create(hasher.hash("correct horse").flatMap(h -> {
                    assertThat(h).startsWith("$2");
                    return hasher.matches("correct horse", h).zipWith(hasher.matches("wrong horse", h));
                }).map(t -> t.getT1() + "/" + t.getT2() + "/" + !Thread.currentThread().getName().equals(caller)))
                .expectNext("true/false/true")
                .verifyComplete();
    }

    @Test
    void shouldAnswerFalseForUnknownUser() {
        StepVerifier.create(hasher.matches("whatever", null)).expectNext(false).verifyComplete();
    }

    @Test
    void shouldKnowBcryptReadsAtMost72Bytes() {
        assertThat(PasswordHasher.fits("a".repeat(72))).isTrue();
        assertThat(PasswordHasher.fits("a".repeat(73))).isFalse();
        assertThat(PasswordHasher.fits("é".repeat(37))).isFalse(); // 74 bytes in UTF-8
    }
}
