package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.PasswordHasher;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Input rules of the REST API; each failure is a 400 {@code invalid_request} naming the field. */
public final class Validation {

    /** Pragmatic: something@something.tld, no spaces; full RFC 5322 is not worth it. */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}$");

    public static final int MIN_PASSWORD = 8;
    public static final int MAX_DISPLAY_NAME = 100;
    public static final int MAX_TITLE = 200;
    public static final int MAX_EMAIL = 320;
    /** Bounds of a meeting's own participant cap (the server's room limits apply on top). */
    public static final int MIN_PARTICIPANTS = 2;
    public static final int MAX_PARTICIPANTS = 1000;
    /** How far in the past a scheduled start may be (clock skew, a form filled in at 10:00 for "10:00"). */
    public static final Duration STARTS_AT_PAST = Duration.ofHours(1);
    /** How far ahead a meeting may be scheduled. */
    public static final Duration STARTS_AT_AHEAD = Duration.ofDays(5 * 366);

    private Validation() {}

    public static String email(String email) {
        String e = email == null ? "" : email.strip();
        // control characters (NUL above all, which PostgreSQL cannot take) are not part of any address
        if (e.length() > MAX_EMAIL || !EMAIL.matcher(e).matches() || e.codePoints().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("email must be a valid email address");
        }
        return e;
    }

    public static String password(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD) {
            throw ApiException.invalid("password must have at least " + MIN_PASSWORD + " characters");
        }
        if (!PasswordHasher.fits(password)) {
            throw ApiException.invalid("password must be at most " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes");
        }
        return password;
    }

    public static String displayName(String name) {
        return text("displayName", name, MAX_DISPLAY_NAME);
    }

    public static String title(String title) {
        return text("title", title, MAX_TITLE);
    }

    /**
     * A scheduled start: absent (null) or an ISO-8601 date-time with an offset ({@code 2026-12-05T14:00:00Z},
     * {@code 2026-12-05T15:00+01:00}), from {@link #STARTS_AT_PAST} before {@code now} to {@link #STARTS_AT_AHEAD}
     * after it.
     */
    public static Instant startsAt(String value, Instant now) {
        if (value == null) {
            return null;
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("startsAt must be an ISO-8601 date-time with a time zone offset, "
                    + "e.g. 2026-12-05T14:00:00Z");
        }
        if (t.isBefore(now.minus(STARTS_AT_PAST))) {
            throw ApiException.invalid("startsAt must not be in the past");
        }
        if (t.isAfter(now.plus(STARTS_AT_AHEAD))) {
            throw ApiException.invalid("startsAt must be within 5 years from now");
        }
        return t;
    }

    /** A meeting's participant cap: absent (null) or {@link #MIN_PARTICIPANTS}..{@link #MAX_PARTICIPANTS}. */
    public static Integer maxParticipants(Integer value) {
        if (value != null && (value < MIN_PARTICIPANTS || value > MAX_PARTICIPANTS)) {
            throw ApiException.invalid("maxParticipants must be a whole number from " + MIN_PARTICIPANTS + " to "
                    + MAX_PARTICIPANTS);
        }
        return value;
    }

    /**
     * Stripped of surrounding blanks, 1..max code points, no control characters, and none of the invisible
     * characters that let a name pose as another: bidirectional overrides, embeddings and isolates (a name that
     * reverses the text after it) and zero-width spaces. Zero-width (non-)joiners stay allowed: Persian, Indic
     * scripts and emoji sequences need them.
     */
    static String text(String field, String value, int max) {
        String v = value == null ? "" : value.strip();
        int n = v.codePointCount(0, v.length());
        if (n < 1 || n > max) {
            throw ApiException.invalid(field + " must have 1 to " + max + " characters");
        }
        if (v.codePoints().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid(field + " must not contain control characters");
        }
        if (v.codePoints().anyMatch(Validation::isInvisibleFormatting)) {
            throw ApiException.invalid(field + " must not contain invisible direction or zero-width characters");
        }
        return v;
    }

    static boolean isInvisibleFormatting(int cp) {
        return cp == 0x061C                       // Arabic letter mark
                || cp == 0x200B                   // zero-width space
                || cp == 0x200E || cp == 0x200F   // left-to-right / right-to-left mark
                || (cp >= 0x202A && cp <= 0x202E) // embeddings and overrides
                || cp == 0x2060                   // word joiner
                || (cp >= 0x2066 && cp <= 0x2069) // isolates
                || cp == 0xFEFF;                  // zero-width no-break space (BOM)
    }
}
