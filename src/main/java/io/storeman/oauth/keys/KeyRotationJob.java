package io.storeman.oauth.keys;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.storeman.common.StoremanConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What changes the signing keys, on every instance: the first key of each algorithm at start, a reload every
 * {@code reload-interval}, and a rotation check of each algorithm every {@code rotation-check-interval}. The
 * {@link KeyRing} decides whether a rotation is due; the {@link SigningKeyStore} acts on it under its advisory lock,
 * after asking the ring again, so that one instance rotates each algorithm and the others see the new key at their
 * next reload. Keys are generated on a worker thread, never on the event loop: an RSA key takes 100 ms and more.
 */
@ApplicationScoped
public class KeyRotationJob {

    private static final Logger LOG = Logger.getLogger(KeyRotationJob.class);

    private final SigningKeys keys;
    private final SigningKeyStore store;
    private final StoremanConfig config;

    KeyRotationJob(SigningKeys keys, SigningKeyStore store, StoremanConfig config) {
        this.keys = keys;
        this.store = store;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        Duration needed = Duration.ofSeconds(SigningKeys.JWKS_MAX_AGE_SECONDS).plus(config.keys().reloadInterval());
        if (config.keys().publishLead().compareTo(needed) <= 0) {
            LOG.warnf("storeman.keys.publish-lead (%s) should exceed the JWKS max-age plus the reload interval (%s)",
                    config.keys().publishLead(), needed);
        }
        VertxContextSupport.subscribeAndAwait(() -> ensureKeys().chain(keys::load));
    }

    /**
     * At start, under the advisory lock: re-encrypts the stored keys not under the current KEK (K4), then makes sure
     * every algorithm has a usable key, creating its first one (on a new database, beside the keys of one algorithm
     * an earlier version made, or after a long sleep). A supplied PEM covers its algorithm, whose stored keys are
     * left alone (but still brought under the KEK); the other algorithm's are made here as usual (O2).
     */
    Uni<Void> ensureKeys() {
        return store.ensureKeys(keys.knownRing(), this::newKey);
    }

    /** A new key of {@code algorithm}, generated on a worker thread. */
    private Uni<SigningKey> newKey(SigningAlgorithm algorithm) {
        return Uni.createFrom().item(() -> algorithm.newKey(config.keys().rsaKeySize()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
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
                    return List.of();
                })
                .chain(store::reencrypt)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Re-encrypting signing keys failed: %s", failure.getMessage());
                    return 0;
                })
                .replaceWithVoid();
    }

    /**
     * For each algorithm in turn, publishes its next key when its newest key has signed for {@code period - lead}, or
     * none of its keys is left unretired, and no key of it is waiting to activate; the next key then signs from
     * {@code lead} from now. Re-reads the keys first (a reload, which keeps the keys known if the read fails), and asks
     * their ring. Answers the algorithms this call rotated. Safe to call from any number of instances at once: only
     * the holder of the advisory lock acts, after asking the ring again.
     */
    public Uni<List<SigningAlgorithm>> rotateIfDue(Duration period, Duration lead) {
        KeyRing.Policy policy = new KeyRing.Policy(period, lead, config.accessTokenTtl(),
                config.keys().retireMargin());
        return keys.reload().chain(() -> Multi.createFrom().items(SigningAlgorithm.values())
                .onItem().transformToUniAndConcatenate(algorithm -> rotateIfDue(policy, algorithm)
                        .map(rotated -> rotated ? List.of(algorithm) : List.<SigningAlgorithm>of()))
                .collect().in(ArrayList<SigningAlgorithm>::new, List::addAll)
                .map(List::copyOf));
    }

    private Uni<Boolean> rotateIfDue(KeyRing.Policy policy, SigningAlgorithm algorithm) {
        return keys.ring().rotation(Instant.now(), policy, algorithm).isEmpty()
                ? Uni.createFrom().item(false)
                : rotate(policy, algorithm);
    }

    private Uni<Boolean> rotate(KeyRing.Policy policy, SigningAlgorithm algorithm) {
        return newKey(algorithm).chain(key -> store.rotate(keys.ring(), policy, key)
                .call(rotation -> rotation.isPresent() ? keys.load() : Uni.createFrom().voidItem())
                .invoke(rotation -> rotation.ifPresent(done -> LOG.infof(
                        "Published the next signing key %s (%s); it signs at %s, %s from now", key.kid(),
                        key.algorithm(), done.activatesAt(), policy.lead())))
                .map(rotation -> rotation.isPresent()));
    }
}
