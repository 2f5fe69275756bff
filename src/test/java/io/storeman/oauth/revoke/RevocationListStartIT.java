package io.storeman.oauth.revoke;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storeman.support.AppInstance;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An instance starts, in the production heap (docs/performance.md, "The heap budget"), with a revocation list far
 * longer than one read: every refresh rotation revokes an access token for two hours, so a busy service restarts
 * with hundreds of thousands. Read as one result, 135,000 of them took more than the whole heap and the start failed.
 */
class RevocationListStartIT {

    private static final int ENTRIES = 300_000;
    private static final Pattern LIST_SIZE = Pattern.compile("(?m)^storeman_revocation_list_size\\S* (\\S+)$");

    @Test
    void startWhenHundredsOfThousandsAreRevokedThenReadyWithEveryEntryInTheProductionHeap() throws Exception {
        // An expiry no other test writes, to remove exactly these entries afterwards.
        Timestamp expiry = Timestamp.from(Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS)
                .plusNanos(123_457_000));
        try (AppInstance migrating = AppInstance.start("it-revocation-migrate", AppInstance.LOCAL_DATABASE,
                Map.of())) {
            migrating.awaitReady(AppInstance.START_TIMEOUT); // the schema exists even when this test runs alone
        }
        try (Connection db = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres?currentSchema=" + AppInstance.schema(), "postgres", null)) {
            try (PreparedStatement insert = db.prepareStatement("insert into revocations (kind, value, bound,"
                    + " expires_at) select 'family', gen_random_uuid()::text, 1, ? from generate_series(1, " + ENTRIES
                    + ")")) {
                insert.setTimestamp(1, expiry);
                insert.executeUpdate();
            }
            try (AppInstance instance = AppInstance.start("it-revocation-start", AppInstance.LOCAL_DATABASE,
                    Map.of(), "96m")) {
                instance.awaitReady(AppInstance.START_TIMEOUT);
                String metrics = given().port(instance.port()).get("/q/metrics").then().statusCode(200)
                        .extract().asString();
                Matcher size = LIST_SIZE.matcher(metrics);
                assertTrue(size.find(), "the list's size is published");
                assertTrue(Double.parseDouble(size.group(1)) >= ENTRIES, "every entry is on the list: " + size.group());
            } finally {
                try (PreparedStatement delete = db.prepareStatement("delete from revocations where expires_at = ?")) {
                    delete.setTimestamp(1, expiry);
                    delete.executeUpdate();
                }
            }
        }
    }
}
