package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.ChatRequest;

/**
 * The shape checks of a chat message, before any state is read. Besides the product rules (non-blank,
 * at most N code points, a 1–64 character client id) it refuses what PostgreSQL cannot store: a NUL
 * character, or a lone UTF-16 surrogate (not Unicode; it would be silently replaced on the way into the
 * table). Letting either through would make the persistence pipeline fail on that row, which must not
 * happen to a message the room already saw as accepted.
 */
final class ChatValidation {

    /** PostgreSQL {@code varchar(64)} of {@code chat_messages.client_msg_id}, in characters (code points). */
    static final int MAX_CLIENT_MSG_ID = 64;
    /** PostgreSQL {@code varchar(100)} of {@code sender_id} and {@code sender_name}. */
    static final int MAX_SENDER_FIELD = 100;

    private ChatValidation() {}

    /** Why the request is not a valid chat message, for a person; null when it is valid. */
    static String problem(ChatRequest r, int maxLength) {
        String id = r.clientMsgId();
        if (id == null || id.isEmpty()) {
            return "clientMsgId is required";
        }
        if (codePoints(id, MAX_CLIENT_MSG_ID) > MAX_CLIENT_MSG_ID) {
            return "clientMsgId is longer than " + MAX_CLIENT_MSG_ID + " characters";
        }
        if (!storable(id)) {
            return "clientMsgId contains characters that cannot be stored";
        }
        String text = r.text();
        if (text == null || text.isBlank()) {
            return "message is empty";
        }
        if (codePoints(text, maxLength) > maxLength) {
            return "message is longer than " + maxLength + " characters";
        }
        if (!storable(text)) {
            return "message contains characters that cannot be stored";
        }
        return null;
    }

    /** Code points in s, or some number above limit when s is certainly longer (no full count of huge inputs). */
    static int codePoints(String s, int limit) {
        if (s.length() > 2L * limit) {
            return limit + 1;
        }
        return s.codePointCount(0, s.length());
    }

    /** False for NUL and for unpaired surrogates. */
    static boolean storable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** s cut to at most max code points (never between the halves of a surrogate pair). */
    static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max));
    }
}
