package io.storeman.oauth.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.storeman.support.CodeFlow;
import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.Fixtures.Tokens;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Signing key rotation, of the ES256 and the RS256 keys alike: the next key is published before it signs, a retired
 * key stays published (and its tokens keep working) until every token it signed has expired, one instance rotates
 * each algorithm at a time, a key made elsewhere is picked up, and start-up beside keys of one algorithm adds the
 * other's. The rotation period and lead are shortened to seconds here; the scheduler uses the configured ones.
 */
@QuarkusTest
class KeyRotationTest {

    private static final Duration LEAD = Duration.ofSeconds(4);
    private static final String ROTATION_JOB = "storeman-keys-rotation";

    @Inject
    SigningKeys keys;

    @Inject
    KeyRotationJob rotation;

    @Inject
    Pool pool;

    @Inject
    Scheduler scheduler;

    @TestHTTPResource("/.well-known/jwks.json")
    URL jwksUrl;

    @Test
    void rotateThenNextKeyIsPublishedBeforeItSignsAndOldTokensVerifyUntilTheyExpire() throws Exception {
        settlePendingKeys();
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, Fixtures.ALL_SCOPES);
        Tokens before = Fixtures.passwordTokens(app, user, null);
        String oldKid = kid(before.accessToken());

        String oldRsaKid = keys.active(SigningAlgorithm.RS256).kid();

        assertEquals(List.of(SigningAlgorithm.ES256, SigningAlgorithm.RS256),
                CodeFlow.await(() -> rotation.rotateIfDue(LEAD, LEAD)), "each is due when period = lead");
        String newKid = newest(SigningAlgorithm.ES256).key().kid();
        String newRsaKid = newest(SigningAlgorithm.RS256).key().kid();
        assertNotEquals(oldKid, newKid);
        assertNotEquals(oldRsaKid, newRsaKid);

        assertTrue(publishedKids().containsAll(Set.of(oldKid, newKid, oldRsaKid, newRsaKid)),
                "the old and next keys of both algorithms are in the JWKS");
        assertEquals(oldKid, kid(Fixtures.passwordTokens(app, user, null).accessToken()),
                "the next key does not sign before its time");
        assertEquals(oldRsaKid, keys.active(SigningAlgorithm.RS256).kid(), "nor the next RSA key");
        assertEquals(List.of(), CodeFlow.await(() -> rotation.rotateIfDue(LEAD, LEAD)),
                "no second rotation while a key waits");

        awaitTrue(() -> newKid.equals(kid(Fixtures.passwordTokens(app, user, null).accessToken())),
                LEAD.plusSeconds(5));
        awaitTrue(() -> newRsaKid.equals(keys.active(SigningAlgorithm.RS256).kid()), Duration.ofSeconds(5));
        assertEquals(SigningAlgorithm.RS256, keys.active(SigningAlgorithm.RS256).algorithm());

        given().auth().oauth2(before.accessToken()).get("/api/v1/me").then().statusCode(200);
        given().auth().oauth2(before.accessToken()).get("/oauth/token/info").then().statusCode(200);
        given().auth().preemptive().basic(app.clientId(), app.clientSecret())
                .formParam("token", before.accessToken())
                .post("/oauth/introspect").then().statusCode(200).body("active", equalTo(true));
        assertTrue(publishedKids().contains(oldKid), "the retired key is still published");
        String after = Fixtures.passwordTokens(app, user, null).accessToken();
        DefaultJWTProcessor<SecurityContext> resourceServer = new DefaultJWTProcessor<>();
        resourceServer.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        resourceServer.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                JWKSourceBuilder.create(jwksUrl).build()));
        assertEquals(Long.toString(user.id()), resourceServer.process(before.accessToken(), null).getSubject(),
                "a resource server with our JWKS still accepts the old key's token");
        assertEquals(Long.toString(user.id()), resourceServer.process(after, null).getSubject());

        StoredKey retiredRsa = stored(oldRsaKid);
        assertTrue(retiredRsa.expiresAt().getEpochSecond() >= retiredRsa.retiresAt().getEpochSecond() + 7200,
                "a retired RSA key stays published for a whole token lifetime after it stops signing");
        assertTrue(publishedKids().contains(oldRsaKid));
        StoredKey retired = stored(oldKid);
        long lastTokenExpiry = SignedJWT.parse(before.accessToken()).getJWTClaimsSet().getExpirationTime()
                .toInstant().getEpochSecond();
        assertTrue(retired.retiresAt() != null && retired.expiresAt() != null);
        assertTrue(retired.expiresAt().getEpochSecond() >= retired.retiresAt().getEpochSecond() + 7200,
                "a retired key stays published for a whole token lifetime after it stops signing");
        assertTrue(retired.expiresAt().getEpochSecond() > lastTokenExpiry,
                "the retired key outlives every token it signed");

        // Fast-forward to the end of the retired key's publication: it leaves the JWKS, and its tokens (which by
        // then have expired anyway) are refused.
        pool.preparedQuery("update signing_keys set expires_at = now() - interval '1 second' where kid = $1")
                .execute(Tuple.of(oldKid)).await().indefinitely();
        CodeFlow.await(keys::load);
        assertFalse(publishedKids().contains(oldKid));
        given().auth().oauth2(before.accessToken()).get("/api/v1/me").then().statusCode(401);
    }

    /**
     * During a rolling upgrade an instance of the previous version, which knew one algorithm, retires the RSA key
     * beside its ES256 key (O1). With no RSA key left unretired, the RSA rotation is due at once: the next RSA key is
     * published a whole lead before it signs, the retired one signs ID tokens until then, and ES256 is left alone.
     */
    @Test
    void rotateWhenEveryRsaKeyWasRetiredByAnEarlierVersionThenANewOneIsPublishedALeadBeforeItSigns() {
        scheduler.pause(ROTATION_JOB); // so the scheduled check cannot rotate in this test's place
        try {
            settlePendingKeys();
            String es256 = keys.active(SigningAlgorithm.ES256).kid();
            String retired = keys.active(SigningAlgorithm.RS256).kid();
            pool.query("update signing_keys set retires_at = now(), expires_at = now() + interval '2 hours'"
                    + " where algorithm = 'RS256' and retires_at is null").execute().await().indefinitely();
            CodeFlow.await(keys::load);
            assertEquals(retired, keys.active(SigningAlgorithm.RS256).kid(), "a retired key still signs");

            assertEquals(List.of(SigningAlgorithm.RS256),
                    CodeFlow.await(() -> rotation.rotateIfDue(Duration.ofDays(30), LEAD)));

            StoredKey next = newest(SigningAlgorithm.RS256);
            assertNotEquals(retired, next.key().kid());
            assertNull(next.retiresAt());
            assertTrue(next.activatesAt().isAfter(Instant.now().plus(LEAD).minusSeconds(2)),
                    "the new key signs a whole lead after it is published");
            assertTrue(publishedKids().containsAll(Set.of(retired, next.key().kid())));
            assertEquals(retired, keys.active(SigningAlgorithm.RS256).kid(), "until then the retired key signs");
            assertEquals(es256, keys.active(SigningAlgorithm.ES256).kid(), "ES256 is left alone");
            assertEquals(List.of(), CodeFlow.await(() -> rotation.rotateIfDue(Duration.ofDays(30), LEAD)),
                    "no second rotation while the new key waits");

            awaitTrue(() -> next.key().kid().equals(keys.active(SigningAlgorithm.RS256).kid()), LEAD.plusSeconds(5));
        } finally {
            settlePendingKeys();
            scheduler.resume(ROTATION_JOB);
        }
    }

    /**
     * The first start of this version on a database that holds ES256 keys only, as the previous version left it:
     * start-up adds one RS256 key, however many instances start together, which signs at once and is published with
     * its algorithm, and activates just before the ES256 key, so that an instance of the previous version keeps
     * signing its access tokens with the ES256 key (O1).
     */
    @Test
    void startWhenDatabaseHoldsOnlyEs256KeysThenOneRs256KeyIsAddedAcrossInstances() throws Exception {
        scheduler.pause(ROTATION_JOB);
        try {
            settlePendingKeys();
            pool.query("delete from signing_keys where algorithm = 'RS256'").execute().await().indefinitely();
            SigningKey es256 = keys.active(SigningAlgorithm.ES256);

            List.of(1, 2, 3).stream()
                    .map(i -> CompletableFuture.runAsync(() -> CodeFlow.await(rotation::ensureKeys)))
                    .toList()
                    .forEach(CompletableFuture::join);
            CodeFlow.await(keys::load);

            assertEquals(1, pool.query("select count(*) as n from signing_keys where algorithm = 'RS256'").execute()
                    .await().indefinitely().iterator().next().getInteger("n"), "one key, whatever the instances");
            SigningKey rsa = keys.active(SigningAlgorithm.RS256);
            assertEquals(SigningAlgorithm.RS256, rsa.algorithm());
            StoredKey stored = stored(rsa.kid());
            assertEquals(stored(es256.kid()).activatesAt().minusSeconds(1), stored.activatesAt(),
                    "just before the ES256 key");
            assertEquals(es256.kid(), keys.active().kid(), "access tokens still sign with ES256");
            assertEquals(es256.kid(), keys.known().stream().filter(key -> !key.activatesAt().isAfter(Instant.now()))
                    .findFirst().orElseThrow().key().kid(), "the newest activated key of any algorithm");
            JWK published = JWKSet.parse(given().get("/.well-known/jwks.json").asString()).getKeyByKeyId(rsa.kid());
            assertEquals(JWSAlgorithm.RS256, published.getAlgorithm());
            assertEquals(KeyUse.SIGNATURE, published.getKeyUse());
            assertEquals(List.of(), CodeFlow.await(() -> rotation.rotateIfDue(Duration.ofDays(30), LEAD)),
                    "neither algorithm is due");
        } finally {
            scheduler.resume(ROTATION_JOB);
        }
    }

    @Test
    void rotateWhenInstancesRaceThenExactlyOneRotatesEachAlgorithm() {
        settlePendingKeys();
        int before = keyCount();

        List<List<SigningAlgorithm>> outcomes = List.of(1, 2, 3).stream()
                .map(i -> CompletableFuture.supplyAsync(() -> CodeFlow.await(() -> rotation.rotateIfDue(LEAD, LEAD))))
                .toList().stream()
                .map(CompletableFuture::join)
                .toList();

        List<SigningAlgorithm> rotated = outcomes.stream().flatMap(List::stream).sorted().toList();
        assertEquals(List.of(SigningAlgorithm.ES256, SigningAlgorithm.RS256), rotated, outcomes.toString());
        assertEquals(before + 2, keyCount());
        settlePendingKeys();
    }

    @Test
    void rotateWhenNotDueThenNothingChanges() {
        settlePendingKeys();
        int before = keyCount();

        assertEquals(List.of(), CodeFlow.await(() -> rotation.rotateIfDue(Duration.ofDays(3650), Duration.ofHours(1))));

        assertEquals(before, keyCount());
    }

    @Test
    void verifyWhenTokenSignedByAKeyAnotherInstanceCreatedThenAcceptedOnceKeysReload() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        String kid = "test-" + UUID.randomUUID();
        RSAKey key = new RSAKeyGenerator(2048).keyID(kid).generate();
        // As another instance would: a pending key in the shared table, not yet read by this instance.
        insert(key, Duration.ofHours(1));
        try {
            String token = sign(key, user, app);
            awaitTrue(() -> given().auth().oauth2(token).get("/api/v1/me").statusCode() == 200,
                    Duration.ofSeconds(40));
            assertTrue(publishedKids().contains(kid));
        } finally {
            pool.preparedQuery("delete from signing_keys where kid = $1").execute(Tuple.of(kid))
                    .await().indefinitely();
            CodeFlow.await(keys::load);
        }
        assertFalse(publishedKids().contains(kid));
    }

    @Test
    void verifyWhenKidUnknownEverywhereThenInvalidToken() throws Exception {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("test-" + UUID.randomUUID()).generate();

        given().auth().oauth2(sign(stranger, user, app)).get("/api/v1/me").then().statusCode(401);
        assertNull(keys.published(stranger.getKeyID()).orElse(null));
    }

    /** Inserts an RS256 key that signs from {@code lead} from now, as an instance would. */
    private void insert(RSAKey key, Duration lead) throws Exception {
        Base64.Encoder base64 = Base64.getEncoder();
        pool.preparedQuery("insert into signing_keys (kid, algorithm, private_key, public_key, activates_at)"
                        + " values ($1, 'RS256', $2, $3, now() + $4::bigint * interval '1 second')")
                .execute(Tuple.of(key.getKeyID(), base64.encodeToString(key.toPrivateKey().getEncoded()),
                        base64.encodeToString(key.toPublicKey().getEncoded()), lead.toSeconds()))
                .await().indefinitely();
    }

    /** The key of {@code algorithm} that activates last. */
    private StoredKey newest(SigningAlgorithm algorithm) {
        return keys.known().stream().filter(stored -> stored.key().algorithm() == algorithm).findFirst().orElseThrow();
    }

    private StoredKey stored(String kid) {
        return keys.known().stream().filter(stored -> stored.key().kid().equals(kid)).findFirst().orElseThrow();
    }

    private static String sign(RSAKey key, Account user, App app) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder()
                        .issuer("http://storeman.test")
                        .subject(Long.toString(user.id()))
                        .audience("storeman-api")
                        .claim("client_id", app.clientId())
                        .claim("scope", "public")
                        .issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(600)))
                        .jwtID(UUID.randomUUID().toString())
                        .build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String kid(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> publishedKids() {
        try {
            return JWKSet.parse(given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString())
                    .getKeys().stream().map(jwk -> jwk.getKeyID()).collect(Collectors.toSet());
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    private int keyCount() {
        return pool.query("select count(*) as n from signing_keys").execute().await().indefinitely()
                .iterator().next().getInteger("n");
    }

    /**
     * Activates at once any key still waiting (left by another test, or by a scheduled rotation of an old test
     * schema), as if its lead had passed, so each test starts from a settled state.
     */
    private void settlePendingKeys() {
        pool.query("update signing_keys set activates_at = now() where activates_at > now()").execute()
                .await().indefinitely();
        CodeFlow.await(keys::load);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
