package io.storeman.oauth.keys;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.storeman.common.StoremanConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * What changes the signing keys, on every instance: the first key at start, a reload every {@code reload-interval},
 * and a rotation check every {@code rotation-check-interval}. The {@link KeyRing} decides whether a rotation is due;
 * the {@link SigningKeyStore} acts on it under its advisory lock, after asking the ring again, so that one instance
 * rotates and the others see the new key at their next reload.
 */
@ApplicationScoped
public class KeyRotationJob {

    private static final Logger LOG = Logger.getLogger(KeyRotationJob.class);

    private final SigningKeys keys;
    private final SigningKeyStore store;
    private final StoremanConfig config;
    private final SigningAlgorithm algorithm;

    KeyRotationJob(SigningKeys keys, SigningKeyStore store, StoremanConfig config) {
        this.keys = keys;
        this.store = store;
        this.config = config;
        this.algorithm = SigningAlgorithm.configured(config.keys().algorithm());
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        Duration needed = Duration.ofSeconds(SigningKeys.JWKS_MAX_AGE_SECONDS).plus(config.keys().reloadInterval());
        if (!keys.keySupplied() && config.keys().publishLead().compareTo(needed) <= 0) {
            LOG.warnf("storeman.keys.publish-lead (%s) should exceed the JWKS max-age plus the reload interval (%s)",
                    config.keys().publishLead(), needed);
        }
        VertxContextSupport.subscribeAndAwait(() -> ensureKey().chain(keys::load));
    }

    /**
     * At start, under the advisory lock: re-encrypts the stored keys not under the current KEK (K4), then makes sure
     * a usable key exists, creating the first one (or a fresh one after a long sleep). With a supplied PEM no stored
     * key is used, but any left from before is still brought under the KEK when one is set.
     */
    Uni<Void> ensureKey() {
        return store.ensureKey(keys.keySupplied() ? null : () -> algorithm.newKey(config.keys().rsaKeySize()));
    }

    /**
     * Re-reads the keys every reload interval, so a key another instance created is published here too. The
     * scheduler's first round can come before start-up has made and loaded the first key; start-up loads them then.
     */
    @Scheduled(identity = "storeman-keys-reload", every = "${storeman.keys.reload-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> reload() {
        return keys.reload();
    }

    /**
     * Rotates when due; one instance does it, the others see the new key at their next reload. Then re-encrypts any
     * key not under the current KEK, such as one an instance of an earlier version or with an earlier KEK wrote during
     * a rolling restart (K4). Waits for start-up to have made and loaded the keys.
     */
    @Scheduled(identity = "storeman-keys-rotation", every = "${storeman.keys.rotation-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledRotation() {
        if (!keys.isLoaded()) {
            return Uni.createFrom().voidItem();
        }
        return rotateIfDue(config.keys().rotationPeriod(), config.keys().publishLead())
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Signing key rotation failed: %s", failure.getMessage());
                    return false;
                })
                .chain(store::reencrypt)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Re-encrypting signing keys failed: %s", failure.getMessage());
                    return 0;
                })
                .replaceWithVoid();
    }

    /**
     * Publishes the next key when the newest key has signed for {@code period - lead}, or signs with another algorithm
     * than the configured one, and no key is waiting to activate; the next key then signs from {@code lead} from now.
     * Re-reads the keys first (a reload), and asks their ring. Answers whether this call rotated. Safe to call from
     * any number of instances at once: only the holder of the advisory lock acts, after asking the ring again.
     */
    public Uni<Boolean> rotateIfDue(Duration period, Duration lead) {
        KeyRing.Policy policy = new KeyRing.Policy(period, lead, config.accessTokenTtl(),
                config.keys().retireMargin(), algorithm);
        return keys.load().chain(() -> keys.ring().rotation(Instant.now(), policy).isEmpty()
                ? Uni.createFrom().item(false)
                : rotate(policy));
    }

    private Uni<Boolean> rotate(KeyRing.Policy policy) {
        Uni<SigningKey> next = Uni.createFrom().item(() -> algorithm.newKey(config.keys().rsaKeySize()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return next.chain(key -> store.rotate(keys.ring(), policy, key)
                .call(rotation -> rotation.isPresent() ? keys.load() : Uni.createFrom().voidItem())
                .invoke(rotation -> rotation.ifPresent(done -> LOG.infof(
                        "Published the next signing key %s (%s); it signs at %s, %s from now", key.kid(),
                        key.algorithm(), done.activatesAt(), policy.lead())))
                .map(rotation -> rotation.isPresent()));
    }
}
