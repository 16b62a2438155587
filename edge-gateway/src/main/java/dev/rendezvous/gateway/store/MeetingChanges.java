package dev.rendezvous.gateway.store;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The fields of a meeting one request changes (already validated by the web layer), and only those: the update
 * writes these columns and leaves the others as they are in the row, so two hosts' requests that change different
 * fields at the same time both land. A field set to null clears it ({@code startsAt}, {@code maxParticipants}).
 */
public final class MeetingChanges {

    /** A changeable field: its column and its type (for binding a null). */
    public enum Field {
        TITLE("title", String.class),
        STARTS_AT("starts_at", Instant.class),
        LOBBY("lobby", Boolean.class),
        MUTE_ON_ENTRY("mute_on_entry", Boolean.class),
        ALLOW_GUESTS("allow_guests", Boolean.class),
        MAX_PARTICIPANTS("max_participants", Integer.class);

        final String column;
        final Class<?> type;

        Field(String column, Class<?> type) {
            this.column = column;
            this.type = type;
        }
    }

    private final Map<Field, Object> values = new EnumMap<>(Field.class);

    /** Sets a field (null clears it); the value must be of the field's type. */
    public MeetingChanges set(Field field, Object value) {
        if (value != null && !field.type.isInstance(value)) {
            throw new IllegalArgumentException(field + " takes a " + field.type.getSimpleName() + ", not " + value.getClass());
        }
        values.put(field, value);
        return this;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The fields set, in the enum's order, with their values (null = clear). */
    public Map<Field, Object> values() {
        return Collections.unmodifiableMap(values);
    }
}
