package io.storeman.oauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.storeman.common.StoremanConfig;
import io.storeman.oauth.keys.SigningAlgorithm;
import io.storeman.oauth.keys.SigningKey;
import io.storeman.oauth.keys.SigningKeys;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/** {@code id_token_hint}: only an ID token of ours names anyone; expiry does not matter. */
@QuarkusTest
class IdTokenHintsTest {

    @Inject
    IdTokenHints hints;

    @Inject
    SigningKeys keys;

    @Inject
    StoremanConfig config;

    @Test
    void hintWhenOurIdTokenThenSubAudienceAndAuthTimeAreRead() {
        Optional<IdTokenHints.IdTokenHint> hint = hints.verify(sign(keys.active(), "JWT", claims(config.issuer())));
        assertTrue(hint.isPresent());
        assertEquals("7", hint.get().subject());
        assertEquals(List.of("client-a"), hint.get().audience());
        assertTrue(hint.get().issuedTo("client-a"));
        assertFalse(hint.get().issuedTo("client-b"));
        assertEquals(Optional.of(1_700_000_000L), hint.get().authTime());
    }

    @Test
    void hintWhenExpiredLongAgoThenStillRead() {
        JwtClaims claims = claims(config.issuer());
        claims.setExpirationTime(NumericDate.fromSeconds(1_000));
        assertTrue(hints.verify(sign(keys.active(), "JWT", claims)).isPresent());
    }

    @Test
    void hintWhenAnAccessTokenThenRefused() {
        assertFalse(hints.verify(sign(keys.active(), "at+jwt", claims(config.issuer()))).isPresent(),
                "typ at+jwt is an access token, never an ID token");
        assertFalse(hints.verify(sign(keys.active(), null, claims(config.issuer()))).isPresent(), "no typ");
    }

    @Test
    void hintWhenAnotherIssuerThenRefused() {
        assertFalse(hints.verify(sign(keys.active(), "JWT", claims("https://elsewhere.example"))).isPresent());
    }

    @Test
    void hintWhenSignedByAKeyWePublishNotThenRefused() {
        SigningKey stranger = keys.active().algorithm().newKey(2048);
        SigningKey impostor = new SigningKey(keys.active().kid(), stranger.algorithm(), stranger.privateKey(),
                stranger.publicKey());
        assertFalse(hints.verify(sign(impostor, "JWT", claims(config.issuer()))).isPresent(),
                "a forged token naming our kid fails its signature");
    }

    @Test
    void hintWhenTamperedTruncatedOrOversizedThenRefused() {
        String token = sign(keys.active(), "JWT", claims(config.issuer()));
        String[] parts = token.split("\\.");
        JwtClaims other = claims(config.issuer());
        other.setSubject("8");
        String swappedPayload = parts[0] + "." + sign(keys.active(), "JWT", other).split("\\.")[1] + "." + parts[2];
        assertFalse(hints.verify(swappedPayload).isPresent(), "another payload under the signature");
        assertFalse(hints.verify(parts[0] + "." + parts[1] + ".").isPresent(), "no signature");
        assertFalse(hints.verify("not a token").isPresent());
        assertFalse(hints.verify("").isPresent());
        assertFalse(hints.verify(null).isPresent());
        assertFalse(hints.verify(token + "A".repeat(IdTokenHints.MAX_LENGTH)).isPresent());
    }

    @Test
    void hintWhenAlgIsNotTheKeysThenRefused() {
        SigningKey key = keys.active();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(config.issuer()).toJson());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue("none");
        jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        assertFalse(hints.verify(compact(jws)).isPresent(), "alg none");
        String otherAlg = key.algorithm() == SigningAlgorithm.ES256 ? "ES384" : "RS384";
        String token = sign(key, "JWT", claims(config.issuer()));
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"" + otherAlg + "\",\"kid\":\"" + key.kid() + "\",\"typ\":\"JWT\"}").getBytes());
        assertFalse(hints.verify(header + token.substring(token.indexOf('.'))).isPresent(), "another alg");
    }

    private static JwtClaims claims(String issuer) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject("7");
        claims.setAudience("client-a");
        claims.setClaim("azp", "client-a");
        claims.setIssuedAt(NumericDate.fromSeconds(Instant.now().getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().getEpochSecond() + 300));
        claims.setClaim("auth_time", 1_700_000_000L);
        return claims;
    }

    private static String sign(SigningKey key, String typ, JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.kid());
        if (typ != null) {
            jws.setHeader("typ", typ);
        }
        jws.setAlgorithmHeaderValue(key.algorithm().name());
        return compact(jws);
    }

    private static String compact(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
