package io.storeman.oauth.keys;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jose4j.jca.ProviderContext;

/**
 * The JCA provider that computes access-token signatures: Amazon Corretto Crypto Provider (AWS-LC's native ECDSA and
 * RSA) when it loads here, else the JDK's own. An ES256 token costs about 0.03 ms to sign through it,
 * 0.16 ms through Java 25's provider (docs/performance.md, "The signing provider"). A JDK key would be
 * translated on every signature, so a {@link SigningKey} carries its private key translated once ({@link #translate}).
 * It only signs: the server checks presented tokens, which anyone can craft, with the JDK's provider (see
 * {@code AccessTokenVerifier}).
 * <p>
 * jose4j finds a provider only by name, so it is registered in {@link Security}, but last: every other lookup (TLS,
 * {@code SecureRandom}, {@code KeyFactory}, ...) still gets the JDK's providers. Where its native library does not
 * load (a platform other than x86_64 Linux, a native image) the JDK signs.
 */
public final class SignatureProvider {

    private static final Logger LOG = Logger.getLogger(SignatureProvider.class);

    /** The JDK's providers, as {@code Signature.getInstance(algorithm)} picks them. */
    public static final SignatureProvider JDK = new SignatureProvider(null);

    private final Provider provider;

    private SignatureProvider(Provider provider) {
        this.provider = provider;
    }

    /** Amazon Corretto Crypto Provider, loaded at the first call (once per class loader); empty where it cannot. */
    public static Optional<SignatureProvider> corretto() {
        return Optional.ofNullable(Native.CORRETTO);
    }

    /** Corretto when {@code nativeSignatures} is on and it loads, else the JDK's; says which at INFO. */
    public static SignatureProvider of(boolean nativeSignatures) {
        SignatureProvider chosen = nativeSignatures ? corretto().orElse(JDK) : JDK;
        LOG.infof("Access tokens are signed by %s%s", chosen,
                nativeSignatures ? "" : " (storeman.keys.native-signatures is off)");
        return chosen;
    }

    /** Whether this is the native provider rather than the JDK. */
    public boolean isNative() {
        return provider != null;
    }

    /** {@code key} as this provider's own key, so that no signature pays for translating it. */
    PrivateKey translate(PrivateKey key) {
        if (provider == null) {
            return key;
        }
        try {
            return KeyFactory.getInstance(key.getAlgorithm(), provider)
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(provider.getName() + " cannot read a " + key.getAlgorithm() + " key", e);
        }
    }

    /** A jose4j provider context that signs with the key supplied through this provider. */
    public ProviderContext context() {
        ProviderContext context = new ProviderContext();
        if (provider != null) {
            context.getSuppliedKeyProviderContext().setSignatureProvider(provider.getName());
        }
        return context;
    }

    /** {@code AmazonCorrettoCryptoProvider} or {@code the JDK}. */
    @Override
    public String toString() {
        return provider == null ? "the JDK" : provider.getName();
    }

    /** Loads Corretto when first asked for, so nothing native is touched while native signatures are off. */
    private static final class Native {

        static final SignatureProvider CORRETTO = load();

        private static SignatureProvider load() {
            try {
                Provider corretto = AmazonCorrettoCryptoProvider.INSTANCE;
                AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
                Provider registered = Security.getProvider(corretto.getName());
                if (registered != null && registered.getClass() != corretto.getClass()) {
                    // Left by an earlier class loader (a test or dev-mode restart): ours replaces it.
                    Security.removeProvider(registered.getName());
                    registered = null;
                }
                if (registered == null) {
                    Security.addProvider(corretto); // last in line: only lookups by its name reach it
                    registered = corretto;
                }
                return new SignatureProvider(registered);
            } catch (Throwable e) {
                LOG.infof("Amazon Corretto Crypto Provider does not load here (%s); the JDK's provider signs", e);
                return null;
            }
        }
    }
}
