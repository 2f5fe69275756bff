package io.storeman.bench;

import io.storeman.oauth.Scopes;
import io.storeman.oauth.keys.SignatureProvider;
import io.storeman.oauth.keys.SigningAlgorithm;
import io.storeman.oauth.keys.SigningKey;
import io.storeman.oauth.token.AccessTokenIssuer;
import io.storeman.oauth.token.AccessTokenVerifier;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwt.JwtClaims;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Token signing and verification as shipped (ES256 by default, RS256 when configured; signing through Amazon Corretto
 * Crypto Provider when it loads, as {@code storeman.keys.native-signatures} defaults to, verification always on the
 * JDK's provider), through the issuer's and the verifier's own code and keys made as the server makes them, signing
 * with the JDK's provider beside it for comparison ({@code ...Jdk}), and
 * scope parsing: the CPU work of every token request and API call (verification without the verifier's memory of
 * tokens). Run with {@code ./mvnw -q -Pjmh test-compile exec:exec}; to measure on Java 25, as in production, add
 * {@code -Djmh.args="-f 1 -wi 3 -w 2s -i 5 -r 2s -jvm /usr/lib/jvm/temurin-25-jdk-amd64/bin/java"} (Maven itself
 * stays on Java 17: javac 23 and later run no annotation processor, JMH's included, unless told to).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HotPathBenchmark {

    private static final String ISSUER = "https://auth.example";
    private static final String AUDIENCE = "storeman-api";
    private static final Scopes SCOPES = Scopes.parse("public read_items", Scopes.DEFAULT);

    private SigningKey ec;
    private SigningKey rsa;
    private SigningKey ecJdk;
    private SigningKey rsaJdk;
    private String ecToken;
    private String rsaToken;
    private AccessTokenVerifier.SignatureCheck consumer;

    @Setup
    public void setUp() {
        SignatureProvider shipped = SignatureProvider.of(true);
        ecJdk = SigningAlgorithm.ES256.newKey(2048);
        rsaJdk = SigningAlgorithm.RS256.newKey(2048);
        ec = ecJdk.signedBy(shipped);
        rsa = rsaJdk.signedBy(shipped);
        ecToken = signEs256();
        rsaToken = signRs256();
        Map<String, SigningKey> published = Map.of(ec.kid(), ec, rsa.kid(), rsa);
        consumer = AccessTokenVerifier.check(kid -> Optional.ofNullable(published.get(kid)), ISSUER, AUDIENCE);
    }

    private static JwtClaims claims() {
        long now = System.currentTimeMillis() / 1000;
        return AccessTokenIssuer.claims(ISSUER, AUDIENCE, "6f1c0f7e-0d4c-4d43-9f1e-9b1f9e1a2b3c", "42",
                "Awbnm2osV49A_Ci1Rp14xz61vHyiuO6ub9nSwXS9pw3", SCOPES, now, now + 7200);
    }

    @Benchmark
    public String signEs256() {
        return AccessTokenIssuer.sign(ec, claims());
    }

    @Benchmark
    public String signEs256Jdk() {
        return AccessTokenIssuer.sign(ecJdk, claims());
    }

    @Benchmark
    public String signRs256() {
        return AccessTokenIssuer.sign(rsa, claims());
    }

    @Benchmark
    public String signRs256Jdk() {
        return AccessTokenIssuer.sign(rsaJdk, claims());
    }

    @Benchmark
    public Object verifyEs256() throws Exception {
        return consumer.verify(ecToken);
    }

    @Benchmark
    public Object verifyRs256() throws Exception {
        return consumer.verify(rsaToken);
    }

    @Benchmark
    public Scopes parseScopes() {
        return Scopes.parse("public read_items write_items read_spaces", Scopes.DEFAULT);
    }
}
