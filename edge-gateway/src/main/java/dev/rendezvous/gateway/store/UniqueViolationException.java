package dev.rendezvous.gateway.store;

/** An insert hit a unique constraint (email taken, meeting code taken). */
public final class UniqueViolationException extends RuntimeException {

    private final String constraint;

    public UniqueViolationException(String constraint, Throwable cause) {
        super("duplicate key (" + constraint + ")", cause);
        this.constraint = constraint;
    }

    public String constraint() {
        return constraint;
    }
}
