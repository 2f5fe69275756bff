package io.storeman.oauth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.token.AccessTokenIssuer;
import io.storeman.oauth.token.AccessTokenVerifier;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.jose4j.jwt.JwtClaims;
import io.smallrye.jwt.auth.principal.ParseException;
import org.junit.jupiter.api.Test;

/**
 * Amazon Corretto Crypto Provider signs where it loads, with keys translated once, only for the callers that name it;
 * its tokens are plain JOSE tokens that the JDK's provider, our verifier and Nimbus verify; with native signatures off
 * the JDK signs.
 */
class SignatureProviderTest {

    private static final String ISSUER = "https://auth.example";
    private static final String AUDIENCE = "storeman-api";
    static final String CORRETTO = "AmazonCorrettoCryptoProvider";
    static final String CORRETTO_PACKAGE = "com.amazon.corretto.crypto.provider.";

    /** Where the shipped Corretto jar carries its native library (x86_64 Linux), it must load: no silent fallback. */
    static void assumeCorrettoShipsForThisPlatform() {
        assumeTrue(Set.of("amd64", "x86_64").contains(System.getProperty("os.arch"))
                && System.getProperty("os.name").startsWith("Linux"),
                "the linux-x86_64 build of Amazon Corretto Crypto Provider 2.5.0 is the one shipped");
    }

    private static SignatureProvider corretto() {
        assumeCorrettoShipsForThisPlatform();
        return SignatureProvider.corretto().orElseThrow(() -> new AssertionError("Corretto did not load"));
    }

    private static JwtClaims claims() {
        long now = System.currentTimeMillis() / 1000;
        return AccessTokenIssuer.claims(ISSUER, AUDIENCE, "jti-1", "42", "client", Scopes.DEFAULT, now, now + 7200);
    }

    /** The server's own verifier (always the JDK's provider), knowing only {@code key}. */
    private static AccessTokenVerifier.SignatureCheck consumer(SigningKey key) {
        return AccessTokenVerifier.check(kid -> Optional.of(key).filter(k -> k.kid().equals(kid)), ISSUER,
                AUDIENCE);
    }

    /** Verifies with the JDK's own provider for the algorithm, no jose4j involved (JOSE ECDSA form is R || S). */
    private static boolean verifiedByJdk(SigningKey key, String token) throws Exception {
        String[] parts = token.split("\\.");
        Signature signature = key.algorithm() == SigningAlgorithm.ES256
                ? Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC")
                : Signature.getInstance("SHA256withRSA", "SunRsaSign");
        signature.initVerify(key.publicKey());
        signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
    }

    /** Verifies with Nimbus against our JWKS document alone, as a resource server elsewhere would. */
    private static boolean verifiedByNimbus(SigningKey key, String token) throws Exception {
        JWKSet jwks = JWKSet.parse(KeyEncoding.jwks(List.of(key)));
        SignedJWT jwt = SignedJWT.parse(token);
        var published = jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        return key.algorithm() == SigningAlgorithm.ES256
                ? jwt.verify(new ECDSAVerifier((ECKey) published))
                : jwt.verify(new RSASSAVerifier((RSAKey) published));
    }

    @Test
    void nativeSignaturesWhenCorrettoLoadsThenCorrettoSignsWithKeysOfItsOwn() {
        SignatureProvider shipped = SignatureProvider.of(true);
        assumeCorrettoShipsForThisPlatform();

        assertTrue(shipped.isNative(), "Corretto loads on this platform");
        assertEquals(CORRETTO, shipped.toString());
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            SigningKey key = algorithm.newKey(2048).signedBy(shipped);
            assertSame(shipped, key.provider());
            assertTrue(key.providerKey().getClass().getName().startsWith(CORRETTO_PACKAGE),
                    key.providerKey().getClass().getName());
            assertEquals(algorithm.keyType(), key.privateKey().getAlgorithm());
            assertFalse(key.privateKey().getClass().getName().startsWith(CORRETTO_PACKAGE),
                    "the JDK's key is kept for storage and the JWKS");
            assertSame(key, key.signedBy(shipped), "translated once");
        }
    }

    @Test
    void correttoWhenRegisteredThenLastSoOnlyLookupsByNameReachIt() throws Exception {
        corretto();
        Provider[] providers = Security.getProviders();

        assertEquals(CORRETTO, providers[providers.length - 1].getName());
        assertNotEquals(CORRETTO, KeyFactory.getInstance("EC").getProvider().getName());
        assertNotEquals(CORRETTO, Signature.getInstance("SHA256withECDSA").getProvider().getName());
        assertNotEquals(CORRETTO, SSLContext.getDefault().getProvider().getName());
        assertNotEquals(CORRETTO, new SecureRandom().getProvider().getName());
        assertEquals(CORRETTO, Signature.getInstance("SHA256withECDSA", CORRETTO).getProvider().getName());
    }

    @Test
    void tokenWhenSignedThroughCorrettoThenJoseFormVerifiedByTheJdkAndNimbus() throws Exception {
        SignatureProvider corretto = corretto();
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            SigningKey key = algorithm.newKey(2048).signedBy(corretto);

            String token = AccessTokenIssuer.sign(key, claims());

            int length = Base64.getUrlDecoder().decode(token.split("\\.")[2]).length;
            assertEquals(algorithm == SigningAlgorithm.ES256 ? 64 : 256, length, algorithm + ": JOSE, not DER");
            assertTrue(verifiedByJdk(key, token), algorithm + " verified by the JDK");
            assertTrue(verifiedByNimbus(key, token), algorithm + " verified by Nimbus against the JWKS");
            assertEquals("42", consumer(key).verify(token).getSubject());
        }
    }

    @Test
    void nativeSignaturesWhenOffThenTheJdkSignsAndVerifies() throws Exception {
        SignatureProvider jdk = SignatureProvider.of(false);

        assertSame(SignatureProvider.JDK, jdk);
        assertFalse(jdk.isNative());
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            SigningKey made = algorithm.newKey(2048);
            SigningKey key = made.signedBy(jdk);
            assertSame(made, key);
            assertSame(key.privateKey(), key.providerKey());

            String token = AccessTokenIssuer.sign(key, claims());

            assertTrue(verifiedByJdk(key, token));
            assertTrue(verifiedByNimbus(key, token));
            assertEquals("42", consumer(key).verify(token).getSubject());
        }
    }

    /** CVE-2022-21449: r = s = 0 verified for any key on Java 15 to 18 before April 2022; never by our verifier. */
    @Test
    void ecdsaSignatureWhenAllZerosThenRefusedByTheVerifier() throws Exception {
        SigningKey key = SigningAlgorithm.ES256.newKey(2048).signedBy(SignatureProvider.of(true));
        String token = AccessTokenIssuer.sign(key, claims());
        String[] parts = token.split("\\.");
        String zeros = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(new byte[64]);

        assertEquals("42", consumer(key).verify(token).getSubject());
        assertThrows(ParseException.class, () -> consumer(key).verify(zeros));
    }

    @Test
    void keyWhenNotFitForItsAlgorithmThenRefusedWhenMade() {
        assertThrows(IllegalArgumentException.class, () -> SigningAlgorithm.RS256.newKey(1024),
                "RS256 keys have at least 2048 bits (RFC 7518 §3.3)");
        SigningKey ec = SigningAlgorithm.ES256.newKey(2048);
        assertThrows(IllegalArgumentException.class,
                () -> new SigningKey(ec.kid(), SigningAlgorithm.RS256, ec.privateKey(), ec.publicKey()));
    }

    @Test
    void signingKeyWhenPrintedThenNoPrivatePart() {
        SigningKey rsa = SigningAlgorithm.RS256.newKey(2048);
        assertEquals("SigningKey[kid=" + rsa.kid() + ", algorithm=RS256, provider=the JDK]", rsa.toString());
    }
}
