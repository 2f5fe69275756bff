package io.storeman.oauth.keys;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.storeman.common.StoremanConfig;
import io.storeman.support.CodeFlow;
import io.storeman.support.Fixtures;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A deployment that supplies its own EC key as PEM (O2): it signs the access tokens and is the only ES256 key
 * published, and never rotates; the RS256 keys of ID tokens are kept in the database, encrypted, and rotate as usual.
 */
@QuarkusTest
@TestProfile(SuppliedKeyTest.SuppliedEcKey.class)
class SuppliedKeyTest {

    private static final Duration LEAD = Duration.ofSeconds(4);

    @Inject
    SigningKeys keys;

    @Inject
    KeyRotationJob rotation;

    @Inject
    StoremanConfig config;

    @Inject
    Pool pool;

    @Inject
    Scheduler scheduler;

    public static class SuppliedEcKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                String der = Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPrivate()
                        .getEncoded());
                return Map.of("storeman.keys.private-key-pem",
                        "-----BEGIN PRIVATE KEY-----\n" + der + "\n-----END PRIVATE KEY-----\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The key of the configured PEM, as the server reads it. */
    private SigningKey supplied() {
        return KeyEncoding.fromPem(config.keys().privateKeyPem().orElseThrow());
    }

    @Test
    void tokenWhenPemSuppliedThenItSignsAccessTokensAndAStoredRs256KeyIsPublishedBeside() throws Exception {
        SigningKey supplied = supplied();
        SignedJWT token = SignedJWT.parse(Fixtures.userWithAllScopes().accessToken());

        assertEquals(supplied.kid(), token.getHeader().getKeyID());
        assertEquals(JWSAlgorithm.ES256, token.getHeader().getAlgorithm());
        assertEquals(supplied.kid(), keys.active(SigningAlgorithm.ES256).kid());

        SigningKey rsa = keys.active(SigningAlgorithm.RS256);
        Row row = pool.preparedQuery("select algorithm, key_encryption from signing_keys where kid = $1")
                .execute(Tuple.of(rsa.kid())).await().indefinitely().iterator().next();
        assertEquals("RS256", row.getString("algorithm"), "the ID-token key is kept in the database");
        assertEquals(KeyEncryption.configured(config.keys().encryptionKey(), List.of()).current().orElseThrow(),
                row.getString("key_encryption"), "under the KEK (K1)");

        JWKSet jwks = JWKSet.parse(given().get("/.well-known/jwks.json").then().statusCode(200).extract()
                .asString());
        Set<String> published = jwks.getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet());
        assertTrue(published.containsAll(Set.of(supplied.kid(), rsa.kid())));
        assertEquals(Set.of(supplied.kid()), jwks.getKeys().stream()
                .filter(key -> JWSAlgorithm.ES256.equals(key.getAlgorithm())).map(JWK::getKeyID)
                .collect(Collectors.toSet()), "the supplied key is the only ES256 key published");
        for (String stored : storedKids("ES256")) {
            assertFalse(published.contains(stored), "a stored ES256 key is left out: " + stored);
        }
        given().auth().oauth2(token.serialize()).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void rotateWhenPemSuppliedThenOnlyTheStoredAlgorithmRotates() {
        scheduler.pause("storeman-keys-rotation");
        try {
            settlePendingKeys();
            String rsa = keys.active(SigningAlgorithm.RS256).kid();

            assertEquals(List.of(SigningAlgorithm.RS256), CodeFlow.await(() -> rotation.rotateIfDue(LEAD, LEAD)));

            assertEquals(supplied().kid(), keys.active().kid(), "the supplied key never rotates");
            String next = keys.known().stream().filter(key -> key.key().algorithm() == SigningAlgorithm.RS256)
                    .findFirst().orElseThrow().key().kid();
            assertTrue(!next.equals(rsa) && keys.published(next).isPresent(), "the next RS256 key is published");
            assertEquals(List.of(), CodeFlow.await(() -> rotation.rotateIfDue(LEAD, LEAD)));
        } finally {
            settlePendingKeys();
            scheduler.resume("storeman-keys-rotation");
        }
    }

    private List<String> storedKids(String algorithm) {
        List<String> kids = new ArrayList<>();
        pool.preparedQuery("select kid from signing_keys where algorithm = $1 and (expires_at is null"
                        + " or expires_at > now())").execute(Tuple.of(algorithm)).await().indefinitely()
                .forEach(row -> kids.add(row.getString("kid")));
        return kids;
    }

    private void settlePendingKeys() {
        pool.query("update signing_keys set activates_at = now() where activates_at > now()").execute()
                .await().indefinitely();
        CodeFlow.await(keys::load);
    }
}
