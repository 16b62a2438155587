package dev.rendezvous.gateway.store;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Meeting codes: {@code abc-defg-hij}, 10 random lowercase letters (26^10 ≈ 1.4·10^14 codes, so guessing one is
 * impractical and collisions, retried on insert, are rare).
 */
public final class MeetingCodes {

    public static final Pattern FORMAT = Pattern.compile("[a-z]{3}-[a-z]{4}-[a-z]{3}");

    private final RandomGenerator random;

    public MeetingCodes() {
        this(new SecureRandom());
    }

    public MeetingCodes(RandomGenerator random) {
        this.random = random;
    }

    public String next() {
        StringBuilder sb = new StringBuilder(12);
        for (int group : new int[] {3, 4, 3}) {
            if (!sb.isEmpty()) {
                sb.append('-');
            }
            for (int i = 0; i < group; i++) {
                sb.append((char) ('a' + random.nextInt(26)));
            }
        }
        return sb.toString();
    }

    public static boolean isWellFormed(String code) {
        return code != null && FORMAT.matcher(code).matches();
    }
}
