package io.storeman.item;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written items page JSON is exactly what the application's Jackson writes for the same views. */
@QuarkusTest
class ItemJsonTest {

    @Inject
    ObjectMapper json;

    @Test
    void arrayWhenAwkwardTextAndInstantsThenIdenticalToJackson() throws Exception {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        List<String> texts = List.of("plain", "quote \" backslash \\ slash /", controls.toString(),
                "caf\u00e9 \u20ac \uD83D\uDCE6 \u2028 \u2029 \u007f", "", "x".repeat(300));
        List<Instant> instants = List.of(Instant.parse("2026-11-29T02:45:12Z"),
                Instant.parse("2026-11-29T02:45:12.100Z"), Instant.parse("2026-11-29T02:45:12.630973Z"),
                Instant.parse("2026-11-29T02:45:12.000001Z"), Instant.parse("2026-11-29T02:45:12.123456789Z"),
                Instant.EPOCH, Instant.parse("0999-12-31T23:59:59.5Z"), Instant.parse("9999-12-31T23:59:59Z"),
                Instant.parse("2024-02-29T00:00:00.010Z"));
        List<ItemView> items = new ArrayList<>();
        long id = 1;
        for (String text : texts) {
            for (Instant instant : instants) {
                items.add(new ItemView(id++, 7L, text, id % 2 == 0 ? null : text, (int) (id * 7919 % 1000),
                        instant, instants.get((int) (id % instants.size()))));
            }
        }
        items.add(new ItemView(Long.MAX_VALUE, Long.MAX_VALUE, "max", "max", Integer.MAX_VALUE,
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z")));

        assertEquals(json.writeValueAsString(items), ItemJson.array(items));
        assertEquals(json.writeValueAsString(List.of()), ItemJson.array(List.of()));
    }
}
