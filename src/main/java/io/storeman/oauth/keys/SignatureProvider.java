package io.storeman.oauth.keys;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Optional;
import org.conscrypt.Conscrypt;
import org.jboss.logging.Logger;
import org.jose4j.jca.ProviderContext;

/**
 * The JCA provider that computes and checks access-token signatures: Conscrypt (BoringSSL's native ECDSA and RSA)
 * when it loads here, else the JDK's own. An ES256 token costs about 0.03 ms to sign through Conscrypt, 0.14 ms
 * through Java 25's provider. Conscrypt would translate a JDK key on every signature (half as long again), so a
 * {@link SigningKey} carries its private key translated once ({@link #translate}). Conscrypt only signs: the server
 * checks presented tokens, which anyone can craft, with the JDK's provider (see {@code AccessTokenVerifier}).
 * <p>
 * jose4j finds a provider only by name, so Conscrypt is registered in {@link Security}, but last: every other lookup
 * (TLS, {@code SecureRandom}, {@code KeyFactory}, ...) still gets the JDK's providers. Where its native library does
 * not load (another platform, a native image) the JDK signs.
 */
public final class SignatureProvider {

    private static final Logger LOG = Logger.getLogger(SignatureProvider.class);

    /** The JDK's providers, as {@code Signature.getInstance(algorithm)} picks them. */
    public static final SignatureProvider JDK = new SignatureProvider(null);

    private final Provider provider;

    private SignatureProvider(Provider provider) {
        this.provider = provider;
    }

    /** Conscrypt, loaded at the first call (once per class loader); empty where it cannot load. */
    public static Optional<SignatureProvider> conscrypt() {
        return Optional.ofNullable(Native.CONSCRYPT);
    }

    /**
     * The candidate named {@code name}, loaded at the first call; empty where it cannot load. For the measurement of
     * issue 20 (docs/performance.md, "The signing provider"): {@code JDK}, {@code Conscrypt}, {@code ACCP} (Amazon
     * Corretto Crypto Provider) or {@code BC} (BouncyCastle).
     */
    public static Optional<SignatureProvider> candidate(String name) {
        return switch (name) {
            case "JDK" -> Optional.of(JDK);
            case "Conscrypt" -> conscrypt();
            case "ACCP" -> Optional.ofNullable(Corretto.ACCP);
            case "BC" -> Optional.ofNullable(Bouncy.BC);
            default -> throw new IllegalArgumentException("No signing provider " + name);
        };
    }

    /** The candidate a measurement names in the system property {@code storeman.measured-signature-provider}. */
    private static final String MEASURED = "storeman.measured-signature-provider";

    /** Conscrypt when {@code nativeSignatures} is on and Conscrypt loads, else the JDK's; says which at INFO. */
    public static SignatureProvider of(boolean nativeSignatures) {
        String measured = System.getProperty(MEASURED);
        SignatureProvider chosen = !nativeSignatures ? JDK
                : measured != null ? candidate(measured).orElse(JDK) : conscrypt().orElse(JDK);
        LOG.infof("Access tokens are signed by %s%s", chosen,
                nativeSignatures ? "" : " (storeman.keys.native-signatures is off)");
        return chosen;
    }

    /** Whether this is Conscrypt rather than the JDK. */
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

    /** The provider's name, or {@code the JDK}. */
    @Override
    public String toString() {
        return provider == null ? "the JDK" : provider.getName();
    }

    /** Registers {@code provider} last, replacing one of the same name left by an earlier class loader. */
    private static SignatureProvider register(Provider provider) {
        Provider registered = Security.getProvider(provider.getName());
        if (registered != null && registered.getClass() != provider.getClass()) {
            Security.removeProvider(registered.getName());
            registered = null;
        }
        if (registered == null) {
            Security.addProvider(provider);
            registered = provider;
        }
        return new SignatureProvider(registered);
    }

    /** Loads Amazon Corretto Crypto Provider (AWS-LC) when first asked for. */
    private static final class Corretto {

        static final SignatureProvider ACCP = load();

        private static SignatureProvider load() {
            try {
                com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider accp =
                        com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
                accp.assertHealthy();
                return register(accp);
            } catch (Throwable e) {
                LOG.infof("Amazon Corretto Crypto Provider does not load here (%s)", e);
                return null;
            }
        }
    }

    /** Loads BouncyCastle's JCA provider when first asked for. */
    private static final class Bouncy {

        static final SignatureProvider BC = register(new org.bouncycastle.jce.provider.BouncyCastleProvider());
    }

    /** Loads Conscrypt when first asked for, so nothing native is touched while native signatures are off. */
    private static final class Native {

        static final SignatureProvider CONSCRYPT = load();

        private static SignatureProvider load() {
            try {
                Conscrypt.checkAvailability();
                Provider conscrypt = Conscrypt.newProvider();
                Provider registered = Security.getProvider(conscrypt.getName());
                if (registered != null && registered.getClass() != conscrypt.getClass()) {
                    // Left by an earlier class loader (a test or dev-mode restart): ours replaces it.
                    Security.removeProvider(registered.getName());
                    registered = null;
                }
                if (registered == null) {
                    Security.addProvider(conscrypt); // last in line: only lookups by its name reach it
                    registered = conscrypt;
                }
                return new SignatureProvider(registered);
            } catch (Throwable e) {
                LOG.infof("Conscrypt does not load here (%s); the JDK's provider signs", e);
                return null;
            }
        }
    }
}
