package dev.rendezvous.stack;

/** The embedded stack (or one of its parts) could not be started or used; the message says why in plain words. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
