package dev.rendezvous.topics;

/** The deployable services. Each topic has exactly one of them as its writer. */
public enum Service {
    EDGE_GATEWAY("edge-gateway"),
    STREAM_APPS("stream-apps"),
    MEDIA_FORWARDER("media-forwarder"),
    RECORDER("recorder");

    private final String id;

    Service(String id) {
        this.id = id;
    }

    /** The module and deployment name, e.g. {@code edge-gateway}. */
    public String id() {
        return id;
    }
}
