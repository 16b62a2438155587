package dev.rendezvous.topics.model;

/** The kinds of {@link AnalyticsEvent}; {@link #id()} is the {@code "kind"} of their JSON form. */
public enum AnalyticsKind {
    PARTICIPANT_JOINED("participant_joined"),
    PARTICIPANT_LEFT("participant_left"),
    CHAT_SENT("chat_sent"),
    HOST_ACTION("host_action"),
    RECORDING_STARTED("recording_started"),
    RECORDING_STOPPED("recording_stopped"),
    QUALITY_SAMPLE("quality_sample");

    private final String id;

    AnalyticsKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
