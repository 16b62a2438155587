package dev.rendezvous.topics.model;

import java.util.regex.Pattern;

/** Region labels (forwarders') and region hints (clients'): 1–32 of letters, digits, '.', '_' and '-'. */
public final class Regions {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    private Regions() {}

    /** A well-formed label; null and anything else are not. */
    public static boolean valid(String region) {
        return region != null && LABEL.matcher(region).matches();
    }
}
