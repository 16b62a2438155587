package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.PasswordHasher;
import java.util.regex.Pattern;

/** Input rules of the REST API; each failure is a 400 {@code invalid_request} naming the field. */
public final class Validation {

    /** Pragmatic: something@something.tld, no spaces; full RFC 5322 is not worth it. */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}$");

    public static final int MIN_PASSWORD = 8;
    public static final int MAX_DISPLAY_NAME = 100;
    public static final int MAX_TITLE = 200;
    public static final int MAX_EMAIL = 320;

    private Validation() {}

    public static String email(String email) {
        String e = email == null ? "" : email.strip();
        if (e.length() > MAX_EMAIL || !EMAIL.matcher(e).matches()) {
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

    /** Stripped of surrounding blanks, 1..max code points, no control characters. */
    static String text(String field, String value, int max) {
        String v = value == null ? "" : value.strip();
        int n = v.codePointCount(0, v.length());
        if (n < 1 || n > max) {
            throw ApiException.invalid(field + " must have 1 to " + max + " characters");
        }
        if (v.codePoints().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid(field + " must not contain control characters");
        }
        return v;
    }
}
