package io.storeman.oauth.dpop;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The replay cache of DPoP proofs across every instance (docs/security.md B3): one statement per proof inserts a hash
 * of its key and {@code jti} into the unlogged table {@code dpop_proofs}; a conflict means some instance saw the proof
 * already. The row lives until the proof's {@code iat} leaves the window, after which the proof is refused as stale
 * anyway, and Housekeeping deletes it. Nothing is kept in memory, so no client can grow this instance's heap; the
 * table grows at most by the rate of accepted proofs times the window.
 */
@ApplicationScoped
public class DpopReplayCache {

    private static final String RECORD = "insert into dpop_proofs (proof_hash, expires_at) values ($1, $2)"
            + " on conflict (proof_hash) do nothing";

    private final Pool pool;

    DpopReplayCache(Pool pool) {
        this.pool = pool;
    }

    /** Records {@code proof}, checked by {@code proofs}; fails with {@code invalid_dpop_proof} if seen before. */
    public Uni<DpopProofs.Proof> record(DpopProofs.Proof proof, DpopProofs proofs) {
        Instant expiresAt = Instant.ofEpochSecond(proof.issuedAt()).plus(proofs.window()).plusSeconds(1);
        return pool.preparedQuery(RECORD).execute(Tuple.of(proof.replayKey(), expiresAt.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw DpopProofs.invalid("The DPoP proof's jti was already used.");
                    }
                    return proof;
                });
    }
}
