package dev.rendezvous.topics.serde;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.module.blackbird.BlackbirdModule;

/**
 * The project's one JSON configuration for records on Kafka: nulls left out, unknown fields ignored (so a
 * producer can add a field before its consumers know it), instants as ISO-8601 strings. Blackbird reads and writes
 * properties and calls record constructors through generated lambdas instead of reflection: each chat message is
 * decoded and encoded several times on its way (request, room state, delivery, accepted copy). Instants are read by
 * {@link IsoInstantDeserializer} (by hand for the {@code …Z} form we write, Jackson's for any other).
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .addModule(new BlackbirdModule())
            .addModule(new SimpleModule("rendezvous-instants").addDeserializer(Instant.class, new IsoInstantDeserializer()))
            .build();

    private Json() {}

    public static JsonMapper mapper() {
        return MAPPER;
    }
}
