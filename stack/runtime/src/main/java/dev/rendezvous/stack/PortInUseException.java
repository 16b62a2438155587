package dev.rendezvous.stack;

/** A port the stack was asked to bind is taken by another process. Thrown before anything is started. */
public final class PortInUseException extends StackException {

    private final int port;
    private final String component;

    public PortInUseException(int port, String component) {
        super("port " + port + " (" + component + ") is already in use");
        this.port = port;
        this.component = component;
    }

    /** The port that is taken. */
    public int port() {
        return port;
    }

    /** Which part of the stack wanted it, e.g. "edge-gateway HTTP". */
    public String component() {
        return component;
    }
}
