package io.storeman.oauth.dpop;

import io.storeman.common.StoremanConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Makes the one {@link DpopProofs} of the application from the configuration: the issuer and the proof window. */
public class DpopConfiguration {

    @Produces
    @Singleton
    DpopProofs proofs(StoremanConfig config) {
        return new DpopProofs(config.issuer(), config.dpop().proofWindow(), Clock.systemUTC());
    }
}
