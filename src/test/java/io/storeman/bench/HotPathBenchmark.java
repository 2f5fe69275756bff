package io.storeman.bench;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.storeman.oauth.Scopes;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Token signing and verification (RS256 as shipped, ES256 for comparison) and scope parsing: the CPU work of every
 * token request and API call. Run with {@code ./mvnw -q -Pjmh test-compile exec:exec}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HotPathBenchmark {

    private KeyPair rsa;
    private KeyPair ec;
    private String rsaToken;
    private String ecToken;
    private JwtConsumer rsaConsumer;
    private JwtConsumer ecConsumer;

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        rsa = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGenerator.generateKeyPair();
        rsaToken = signRs256();
        ecToken = signEs256();
        rsaConsumer = consumer(AlgorithmIdentifiers.RSA_USING_SHA256, rsa);
        ecConsumer = consumer(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, ec);
    }

    private static JwtConsumer consumer(String algorithm, KeyPair keys) {
        return new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, algorithm)
                .setExpectedType(true, "at+jwt")
                .setVerificationKey(keys.getPublic())
                .setExpectedIssuer("https://auth.example")
                .setExpectedAudience("storeman-api")
                .setRequireExpirationTime()
                .build();
    }

    private static io.smallrye.jwt.build.JwtClaimsBuilder claims() {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.claims().issuer("https://auth.example").subject("42").audience("storeman-api")
                .claim("client_id", "Awbnm2osV49A_Ci1Rp14xz61vHyiuO6ub9nSwXS9pw3").claim("scope", "public read_items")
                .issuedAt(now).expiresAt(now + 7200).claim("jti", "6f1c0f7e-0d4c-4d43-9f1e-9b1f9e1a2b3c");
    }

    @Benchmark
    public String signRs256() {
        return claims().jws().keyId("k1").header("typ", "at+jwt").algorithm(SignatureAlgorithm.RS256)
                .sign(rsa.getPrivate());
    }

    @Benchmark
    public String signEs256() {
        return claims().jws().keyId("k1").header("typ", "at+jwt").algorithm(SignatureAlgorithm.ES256)
                .sign(ec.getPrivate());
    }

    @Benchmark
    public JwtClaims verifyRs256() throws Exception {
        return rsaConsumer.processToClaims(rsaToken);
    }

    @Benchmark
    public JwtClaims verifyEs256() throws Exception {
        return ecConsumer.processToClaims(ecToken);
    }

    @Benchmark
    public Scopes parseScopes() {
        return Scopes.parse("public read_items write_items read_spaces", Scopes.DEFAULT);
    }
}
