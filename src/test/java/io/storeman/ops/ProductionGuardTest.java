package io.storeman.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
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

    @Test
    void keyProblemsWhenKeysKeptInTheDatabaseAndNoKekThenRefusedNamingTheVariable() {
        for (Optional<String> none : List.of(Optional.<String>empty(), Optional.of(" "))) {
            List<String> problems = ProductionGuard.keyProblems(none);

            assertEquals(1, problems.size());
            assertTrue(problems.get(0).contains("set STOREMAN_KEYS_ENCRYPTION_KEY"), problems.get(0));
        }
    }

    @Test
    void keyProblemsWhenAKekThenNone() {
        String kek = Base64.getEncoder().encodeToString(new byte[32]);

        assertEquals(List.of(), ProductionGuard.keyProblems(Optional.of(kek)));
    }

    @Test
    void keyProblemsWhenTheDevProfilesKekThenRefused() {
        List<String> problems = ProductionGuard.keyProblems(Optional.of(ProductionGuard.DEV_ENCRYPTION_KEY + "\n"));

        assertEquals(List.of("STOREMAN_KEYS_ENCRYPTION_KEY is the dev profile's published key-encryption key"),
                problems);
    }

    @Test
    void devEncryptionKeyWhenComparedWithApplicationPropertiesThenTheDevAndTestProfilesKek() throws Exception {
        List<String> keks = Files.readAllLines(Path.of("src/main/resources/application.properties")).stream()
                .filter(line -> line.matches("%(dev|test)\\.storeman\\.keys\\.encryption-key=.*"))
                .map(line -> line.substring(line.indexOf('=') + 1))
                .toList();

        assertEquals(List.of(ProductionGuard.DEV_ENCRYPTION_KEY, ProductionGuard.DEV_ENCRYPTION_KEY), keks);
    }
}
