package dev.rendezvous.gateway.auth;

import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * bcrypt (cost 10, ~60–80 ms of CPU per call) run on a scheduler meant for blocking work, never on an event loop.
 * bcrypt reads at most 72 bytes of a password; longer ones are refused at validation.
 */
public final class PasswordHasher {

    public static final int MAX_PASSWORD_BYTES = 72;

    private final BCryptPasswordEncoder encoder;
    private final Scheduler scheduler;
    /** A real hash to compare against for unknown emails, so that login takes as long either way. */
    private final String decoy;

    public PasswordHasher(int cost, Scheduler scheduler) {
        this.encoder = new BCryptPasswordEncoder(cost);
        this.scheduler = scheduler;
        this.decoy = encoder.encode("decoy-password-never-matches");
    }

    public static boolean fits(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
    }

    public Mono<String> hash(String password) {
        return Mono.fromCallable(() -> encoder.encode(password)).subscribeOn(scheduler);
    }

    /** Compares; with a null hash (unknown user) it still spends the time and answers false. */
    public Mono<Boolean> matches(String password, String hash) {
        return Mono.fromCallable(() -> {
            if (hash == null) {
                encoder.matches(password, decoy);
                return false;
            }
            return encoder.matches(password, hash);
        }).subscribeOn(scheduler);
    }
}
