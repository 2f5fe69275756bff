package io.storeman.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.storeman.architecture.stray.StrayDatabaseAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One database API per kind of work (docs/architecture.md "Persistence"): entities go through Panache repositories,
 * and only the classes the document's table names use the reactive pool, the LISTEN connection, or native queries.
 * The table and the code must agree both ways, so that the document stays the list a reviewer checks.
 */
class PersistenceRuleTest {

    private static final Path ARCHITECTURE = Path.of("docs", "architecture.md");
    private static final String BASE = "io.storeman.";
    /** The raw database types; a class that depends on one uses the pool (or the LISTEN connection) directly. */
    static final Set<String> RAW_TYPES = Set.of("io.vertx.mutiny.sqlclient.Pool", "io.vertx.mutiny.sqlclient.SqlClient",
            "io.vertx.mutiny.sqlclient.SqlConnection", "io.vertx.sqlclient.Pool", "io.vertx.sqlclient.SqlClient",
            "io.vertx.sqlclient.SqlConnection", "io.vertx.pgclient.pubsub.PgSubscriber");
    private static final String NATIVE_QUERY = "createNativeQuery";
    /** A row of the table: its first cell, a class named below {@code io.storeman} in backquotes. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z.]+\\.[A-Z][A-Za-z0-9]*)` \\|");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.storeman");
    }

    @Test
    void rawDatabaseAccessWhenOutsideTheDocumentedClassesThenFails() throws IOException {
        Set<String> documented = documentedClasses();
        Set<String> raw = rawUsers(main);
        Set<String> undocumented = new TreeSet<>(raw);
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "classes using the raw pool or native queries but not listed in "
                + ARCHITECTURE + " under Persistence: use a Panache repository, or list them with the reason");
        Set<String> stale = new TreeSet<>(documented);
        stale.removeAll(raw);
        assertEquals(Set.of(), stale, "classes listed under Persistence in " + ARCHITECTURE
                + " that no longer use the raw pool or native queries: take them off the table");
    }

    @Test
    void scanWhenAClassUsesThePoolOrANativeQueryThenFindsIt() {
        // The scan sees what it must see: a broken scan would pass the test above with nothing found either way.
        Set<String> raw = rawUsers(main);
        assertTrue(raw.contains("oauth.token.RefreshTokenStore"), raw.toString());
        assertTrue(raw.contains("oauth.revoke.RevocationStore"), raw.toString());
        assertTrue(raw.contains("account.UserRepository"), "a native query counts: " + raw);
        assertFalse(raw.contains("oauth.token.RefreshTokenRepository"), raw.toString());
    }

    @Test
    void scanWhenAClassOutsideTheTableUsesThePoolOrANativeQueryThenNamesIt() {
        JavaClasses stray = new ClassFileImporter().importClasses(StrayDatabaseAccess.class,
                StrayDatabaseAccess.NativeOnly.class, NotStray.class);
        assertEquals(Set.of("architecture.stray.StrayDatabaseAccess"), rawUsers(stray),
                "a pool field and a native query in a nested class are both found, under the top-level class");
    }

    /** Touches no database API. */
    static class NotStray {
    }

    /** The classes named in the first column of the table under "### Persistence", relative to io.storeman. */
    static Set<String> documentedClasses() throws IOException {
        String document = Files.readString(ARCHITECTURE);
        int start = document.indexOf("\n### Persistence\n");
        assertTrue(start >= 0, ARCHITECTURE + " has no Persistence section");
        int end = document.indexOf("\n#", start + 1);
        Matcher row = ROW.matcher(document.substring(start, end < 0 ? document.length() : end));
        Set<String> classes = row.results().map(match -> match.group(1)).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(classes.isEmpty(), "the Persistence section of " + ARCHITECTURE + " lists no class");
        return classes;
    }

    /** The top-level classes (relative to io.storeman) that use a raw database type or a native query. */
    static Set<String> rawUsers(JavaClasses classes) {
        Set<String> users = new TreeSet<>();
        for (JavaClass each : classes) {
            boolean raw = each.getDirectDependenciesFromSelf().stream()
                    .anyMatch(dependency -> RAW_TYPES.contains(dependency.getTargetClass().getName()))
                    || each.getMethodCallsFromSelf().stream()
                            .anyMatch(call -> call.getName().equals(NATIVE_QUERY));
            if (raw) {
                String name = each.getName();
                int nested = name.indexOf('$');
                users.add((nested < 0 ? name : name.substring(0, nested)).substring(BASE.length()));
            }
        }
        return users;
    }
}
