package dev.rendezvous.topics.model;

/** The reactions a participant can send to the room; on the wire as the lowercase name, with the emoji beside it. */
public enum Reaction {
    THUMBS_UP("\uD83D\uDC4D"),
    HEART("\u2764\uFE0F"),
    LAUGH("\uD83D\uDE02"),
    CLAP("\uD83D\uDC4F"),
    PARTY("\uD83C\uDF89");

    private final String emoji;

    Reaction(String emoji) {
        this.emoji = emoji;
    }

    public String emoji() {
        return emoji;
    }
}
