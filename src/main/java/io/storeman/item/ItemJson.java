package io.storeman.item;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Writes a page of items as JSON by hand: byte for byte what Jackson writes for a {@code List<ItemView>} here
 * (snake_case fields in record order, strings escaped as Jackson escapes them, instants as
 * {@link java.time.format.DateTimeFormatter#ISO_INSTANT}), at a fraction of the cost. The items page is the API's
 * hottest read; Jackson's reflective serialization and instant formatting were over a third of its CPU time.
 * {@code ItemJsonTest} holds it to Jackson's output.
 */
final class ItemJson {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ItemJson() {
    }

    static String array(List<ItemView> items) {
        StringBuilder out = new StringBuilder(2 + items.size() * 224);
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            object(out, items.get(i));
        }
        return out.append(']').toString();
    }

    private static void object(StringBuilder out, ItemView item) {
        out.append("{\"id\":").append(item.id());
        out.append(",\"space_id\":").append(item.spaceId());
        out.append(",\"name\":");
        string(out, item.name());
        out.append(",\"description\":");
        string(out, item.description());
        out.append(",\"quantity\":").append(item.quantity());
        out.append(",\"created_at\":");
        instant(out, item.createdAt());
        out.append(",\"updated_at\":");
        instant(out, item.updatedAt());
        out.append('}');
    }

    /** A JSON string as Jackson writes it: quote, backslash and control characters escaped, the rest as is. */
    static void string(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** ISO_INSTANT: {@code 2026-11-29T02:45:12.630973Z}, the fraction in groups of three digits, none when zero. */
    static void instant(StringBuilder out, Instant instant) {
        if (instant == null) {
            out.append("null");
            return;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            out.append('"').append(instant).append('"');
            return;
        }
        out.append('"').append(t.getYear()).append('-');
        two(out, t.getMonthValue());
        out.append('-');
        two(out, t.getDayOfMonth());
        out.append('T');
        two(out, t.getHour());
        out.append(':');
        two(out, t.getMinute());
        out.append(':');
        two(out, t.getSecond());
        int nanos = instant.getNano();
        if (nanos != 0) {
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                digits(out, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                digits(out, nanos / 1000, 6);
            } else {
                digits(out, nanos, 9);
            }
        }
        out.append("Z\"");
    }

    private static void two(StringBuilder out, int value) {
        out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private static void digits(StringBuilder out, int value, int width) {
        char[] buffer = new char[width];
        for (int i = width - 1; i >= 0; i--) {
            buffer[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        out.append(buffer);
    }
}
