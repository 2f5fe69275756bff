package io.storeman.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every security event leaves one audit line with the user, client and IP, and never a secret or a token. */
@QuarkusTest
class AuditLogTest {

    @Inject
    Pool pool;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (record.getParameters() != null && record.getParameters().length > 0) {
                message = String.format(message, record.getParameters());
            }
            lines.add(message);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("storeman.audit").addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("storeman.audit").removeHandler(capture);
    }

    private String line(String event, String clientId) {
        return lines.stream().filter(l -> l.contains("event=" + event) && l.contains("client_id=" + clientId))
                .findFirst().orElseThrow(() -> new AssertionError("no " + event + " line in " + lines));
    }

    @Test
    void securityEventsThenOneAuditLineEachWithoutSecrets() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        Tokens tokens = Fixtures.passwordTokens(app, user, null);
        given().formParam("grant_type", "password").formParam("username", user.email())
                .formParam("password", "a wrong password").formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret()).post("/oauth/token").then().statusCode(400);
        String refreshed = Fixtures.refresh(app, tokens.refreshToken(), null).statusCode(200)
                .extract().path("refresh_token");
        Fixtures.refresh(app, tokens.refreshToken(), null).statusCode(400);
        Tokens second = Fixtures.passwordTokens(app, user, null);
        given().formParam("token", second.refreshToken()).formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret()).post("/oauth/revoke").then().statusCode(200);

        String created = line("application_created", app.clientId());
        assertTrue(created.contains("user_id=" + user.id()), created);
        assertTrue(line("sign_in_succeeded", app.clientId()).contains("user_id=" + user.id()));
        assertTrue(line("sign_in_failed", app.clientId()).contains("user_id=" + user.id()));
        assertTrue(line("token_issued", app.clientId()).contains("grant_type=password"));
        assertTrue(line("token_refreshed", app.clientId()).contains("user_id=" + user.id()));
        assertTrue(line("token_revoked", app.clientId()).contains("token_type=refresh_token"));
        assertTrue(lines.stream().anyMatch(l -> l.contains("event=refresh_token_reused")
                && l.contains("user_id=" + user.id())), lines.toString());
        assertTrue(created.matches(".* ip=[0-9a-f.:]+.*"), created);

        for (String line : lines) {
            for (String secret : List.of(app.clientSecret(), user.password(), "a wrong password",
                    tokens.accessToken(), tokens.refreshToken(), refreshed, second.refreshToken())) {
                assertFalse(line.contains(secret), "audit line leaks a secret: " + line);
            }
        }
    }

    @Test
    void forwardedForWhenPeerIsNoTrustedProxyThenIgnored() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        given().header("X-Forwarded-For", "203.0.113.66").formParam("grant_type", "password")
                .formParam("username", user.email()).formParam("password", "a wrong password")
                .formParam("client_id", app.clientId()).formParam("client_secret", app.clientSecret())
                .post("/oauth/token").then().statusCode(400);

        String failed = line("sign_in_failed", app.clientId());
        assertTrue(failed.contains(" ip=127.0.0.1"), failed);
        long forged = pool.preparedQuery("select count(*) from address_failures where address = '203.0.113.66'")
                .execute().map(rows -> rows.iterator().next().getLong(0)).await().atMost(Duration.ofSeconds(10));
        assertEquals(0, forged, "the forged address is counted nowhere");
    }
}
