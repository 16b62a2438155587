package dev.rendezvous.topics.model;

/** A participant's role in a meeting. */
public enum Role {
    /** The meeting's owner: runs the room. */
    HOST,
    /** A registered user who is not the host. */
    USER,
    /** Someone who joined with a name only, through a guest token for this meeting. */
    GUEST
}
