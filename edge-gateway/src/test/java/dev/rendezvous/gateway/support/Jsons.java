package dev.rendezvous.gateway.support;

import dev.rendezvous.topics.serde.Json;
import tools.jackson.databind.JsonNode;

/** Small JSON helpers for tests. */
public final class Jsons {

    private Jsons() {}

    public static JsonNode tree(String json) {
        return Json.mapper().readTree(json);
    }

    public static String field(String json, String name) {
        JsonNode v = tree(json).get(name);
        return v == null || v.isNull() ? null : v.asString();
    }
}
