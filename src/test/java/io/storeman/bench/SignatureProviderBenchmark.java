package io.storeman.bench;

import io.storeman.oauth.Scopes;
import io.storeman.oauth.keys.SignatureProvider;
import io.storeman.oauth.keys.SigningAlgorithm;
import io.storeman.oauth.keys.SigningKey;
import io.storeman.oauth.token.AccessTokenIssuer;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.TimeUnit;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The signing-provider candidates of issue 20 side by side (docs/performance.md, "The signing provider"): an access
 * token signed through the issuer's own code with a key translated once for the provider, and its signature checked
 * by jose4j through the same provider, ES256 and RS256. Run on Java 25, as in production, from a test classpath:
 * {@code java -cp ... org.openjdk.jmh.Main -f 1 -wi 3 -i 5 SignatureProviderBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignatureProviderBenchmark {

    private static final String ISSUER = "https://auth.example";

    @Param({"JDK", "Conscrypt", "ACCP", "BC"})
    public String provider;

    private SigningKey ec;
    private SigningKey rsa;
    private PublicKey ecPublic;
    private PublicKey rsaPublic;
    private String ecToken;
    private String rsaToken;
    private ProviderContext verifying;

    @Setup
    public void setUp() throws Exception {
        SignatureProvider candidate = SignatureProvider.candidate(provider)
                .orElseThrow(() -> new IllegalStateException(provider + " does not load here"));
        ec = SigningAlgorithm.ES256.newKey(2048).signedBy(candidate);
        rsa = SigningAlgorithm.RS256.newKey(2048).signedBy(candidate);
        verifying = new ProviderContext();
        if (candidate.isNative()) {
            String name = candidate.toString();
            verifying.getGeneralProviderContext().setSignatureProvider(name);
            ecPublic = translate(ec.publicKey(), name);
            rsaPublic = translate(rsa.publicKey(), name);
        } else {
            ecPublic = ec.publicKey();
            rsaPublic = rsa.publicKey();
        }
        ecToken = signEs256();
        rsaToken = signRs256();
        if (!(boolean) verifyEs256() || !(boolean) verifyRs256()) {
            throw new IllegalStateException(provider + " refuses its own signatures");
        }
    }

    private static PublicKey translate(PublicKey key, String provider) throws Exception {
        return KeyFactory.getInstance(key.getAlgorithm(), provider)
                .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
    }

    private static JwtClaims claims() {
        long now = System.currentTimeMillis() / 1000;
        return AccessTokenIssuer.claims(ISSUER, "storeman-api", "6f1c0f7e-0d4c-4d43-9f1e-9b1f9e1a2b3c", "42",
                "Awbnm2osV49A_Ci1Rp14xz61vHyiuO6ub9nSwXS9pw3", Scopes.parse("public read_items", Scopes.DEFAULT),
                now, now + 7200);
    }

    private Object verify(String token, PublicKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        jws.setKey(key);
        jws.setProviderContext(verifying);
        return jws.verifySignature();
    }

    @Benchmark
    public String signEs256() {
        return AccessTokenIssuer.sign(ec, claims());
    }

    @Benchmark
    public String signRs256() {
        return AccessTokenIssuer.sign(rsa, claims());
    }

    @Benchmark
    public Object verifyEs256() throws Exception {
        return verify(ecToken, ecPublic);
    }

    @Benchmark
    public Object verifyRs256() throws Exception {
        return verify(rsaToken, rsaPublic);
    }
}
