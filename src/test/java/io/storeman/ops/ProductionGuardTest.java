package io.storeman.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProductionGuardTest {

    @Test
    void problemsWhenDatasourceAndMigrationsOnlyThenNone() {
        assertTrue(ProductionGuard.problems(Optional.of("postgresql://db:5432/storeman"), List.of("db/migration"))
                .isEmpty());
    }

    @Test
    void problemsWhenNoDatasourceThenRefused() {
        assertEquals(1, ProductionGuard.problems(Optional.empty(), List.of("db/migration")).size());
        assertEquals(1, ProductionGuard.problems(Optional.of(" "), List.of("db/migration")).size());
    }

    @Test
    void problemsWhenDemoDataLocationThenRefused() {
        assertEquals(1, ProductionGuard.problems(Optional.of("postgresql://db/storeman"),
                List.of("db/migration", "db/dev")).size());
    }
}
