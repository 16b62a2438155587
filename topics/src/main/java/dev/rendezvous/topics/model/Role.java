package dev.rendezvous.topics.model;

/**
 * A participant's role in a meeting. The gateway says who someone is ({@link #HOST} for the meeting's creator,
 * {@link #USER}, {@link #GUEST}); the room processor decides the role they have in the room (the creator is the
 * host while present; rights pass on when the host leaves; the host promotes {@link #COHOST}s), and members,
 * participant lists and frames carry that effective role.
 */
public enum Role {
    /** Runs the room: the meeting's creator, or whoever the host rights passed to. One at a time. */
    HOST,
    /** Promoted by the host: every host action but promoting and demoting. Registered users only. */
    COHOST,
    /** A registered user who is neither host nor co-host (a "participant" in the API). */
    USER,
    /** Someone who joined with a name only, through a guest token for this meeting. */
    GUEST
}
