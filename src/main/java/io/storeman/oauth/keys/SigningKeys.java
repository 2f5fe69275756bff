package io.storeman.oauth.keys;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.storeman.common.StoremanConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * The signing keys, shared by every instance through the database. The first instance to start generates the key
 * (under an advisory lock, so two starting together agree on one); a deployment may supply its own PEM instead.
 */
@ApplicationScoped
public class SigningKeys {

    public static final String ALGORITHM = "RS256";
    private static final long KEY_LOCK = 0x53544f52454d414eL; // "STOREMAN"

    private final Pool pool;
    private final StoremanConfig config;
    private volatile Keys keys;

    SigningKeys(Pool pool, StoremanConfig config) {
        this.pool = pool;
        this.config = config;
    }

    private record Keys(SigningKey active, Map<String, RSAPublicKey> published, String jwks) {
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(this::load);
    }

    /** Whether a signing key has been loaded (start-up is complete). */
    public boolean isLoaded() {
        return keys != null;
    }

    /** The key new tokens are signed with. */
    public SigningKey active() {
        return keys.active();
    }

    /** The public key for a {@code kid}, if this server publishes it. */
    public Optional<RSAPublicKey> verificationKey(String kid) {
        return kid == null ? Optional.empty() : Optional.ofNullable(keys.published().get(kid));
    }

    /** The JWK Set document (RFC 7517) of every published key. */
    public String jwks() {
        return keys.jwks();
    }

    /** Reads the keys from the database, creating the first one when there is none. */
    public Uni<Void> load() {
        Optional<String> pem = config.keys().privateKeyPem().filter(value -> !value.isBlank());
        if (pem.isPresent()) {
            SigningKey key = fromPem(pem.get());
            keys = new Keys(key, Map.of(key.kid(), key.publicKey()), jwksOf(List.of(key)));
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(connection -> connection
                .preparedQuery("select pg_advisory_xact_lock($1)").execute(Tuple.of(KEY_LOCK))
                .chain(() -> connection.query("select kid, private_key, public_key, activates_at <= now() as active"
                        + " from signing_keys where expires_at is null or expires_at > now()"
                        + " order by activates_at desc").execute())
                .chain(rows -> rows.size() > 0
                        ? Uni.createFrom().item(rows)
                        : insertNewKey(connection).chain(() -> connection.query(
                                "select kid, private_key, public_key, true as active from signing_keys").execute())))
                .invoke(rows -> {
                    List<SigningKey> all = new java.util.ArrayList<>();
                    SigningKey active = null;
                    for (Row row : rows) {
                        SigningKey key = decode(row.getString("kid"), row.getString("private_key"),
                                row.getString("public_key"));
                        all.add(key);
                        if (active == null && row.getBoolean("active")) {
                            active = key;
                        }
                    }
                    Map<String, RSAPublicKey> published = new LinkedHashMap<>();
                    all.forEach(key -> published.put(key.kid(), key.publicKey()));
                    keys = new Keys(active == null ? all.get(0) : active, published, jwksOf(all));
                })
                .replaceWithVoid();
    }

    private Uni<Void> insertNewKey(io.vertx.mutiny.sqlclient.SqlConnection connection) {
        SigningKey key = generate(config.keys().rsaKeySize());
        Base64.Encoder b64 = Base64.getEncoder();
        return connection.preparedQuery("insert into signing_keys (kid, algorithm, private_key, public_key)"
                + " values ($1, $2, $3, $4)")
                .execute(Tuple.of(key.kid(), ALGORITHM, b64.encodeToString(key.privateKey().getEncoded()),
                        b64.encodeToString(key.publicKey().getEncoded())))
                .replaceWithVoid();
    }

    static SigningKey generate(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            KeyPair pair = generator.generateKeyPair();
            RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
            return new SigningKey(thumbprint(publicKey), pair.getPrivate(), publicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate an RSA key", e);
        }
    }

    static SigningKey decode(String kid, String privateKey, String publicKey) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PrivateKey priv = rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKey)));
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
            return new SigningKey(kid, priv, pub);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A stored signing key cannot be read", e);
        }
    }

    static SigningKey fromPem(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey priv = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(
                    new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
            return new SigningKey(thumbprint(pub), priv, pub);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("storeman.keys.private-key-pem is not a PKCS#8 RSA private key", e);
        }
    }

    private static String thumbprint(RSAPublicKey key) {
        return new RsaJsonWebKey(key).calculateBase64urlEncodedThumbprint("SHA-256");
    }

    private static String jwksOf(List<SigningKey> keys) {
        JsonWebKeySet set = new JsonWebKeySet();
        for (SigningKey key : keys) {
            RsaJsonWebKey jwk = new RsaJsonWebKey(key.publicKey());
            jwk.setKeyId(key.kid());
            jwk.setUse("sig");
            jwk.setAlgorithm(ALGORITHM);
            set.addJsonWebKey(jwk);
        }
        return set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }
}
