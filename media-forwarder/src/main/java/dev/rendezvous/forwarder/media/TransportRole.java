package dev.rendezvous.forwarder.media;

/** Which of a page's two PeerConnections a transport is: the one it sends on, or the one it receives on. */
public enum TransportRole {
    /** The page offers its camera, microphone and screen; the forwarder answers and receives. */
    PUBLISH,
    /** The forwarder offers the others' tracks; the page answers and receives. */
    SUBSCRIBE;

    public boolean publish() {
        return this == PUBLISH;
    }
}
