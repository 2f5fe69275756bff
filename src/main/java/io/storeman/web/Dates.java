package io.storeman.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Dates as the pages show them: unambiguous, in UTC. */
final class Dates {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter
            .ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private Dates() {
    }

    static String format(Instant instant) {
        return instant == null ? "" : FORMAT.format(instant);
    }
}
