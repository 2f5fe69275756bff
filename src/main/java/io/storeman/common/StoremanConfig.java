package io.storeman.common;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every {@code storeman.*} setting, in one place. The README's configuration table mirrors it. */
@ConfigMapping(prefix = "storeman")
public interface StoremanConfig {

    /** The {@code iss} of every access token, and the issuer of the server metadata. */
    @WithDefault("http://localhost:8080")
    String issuer();

    /** The {@code aud} of every access token: the Storeman API. */
    @WithDefault("storeman-api")
    String audience();

    /** Lifetime of access tokens. */
    @WithDefault("PT2H")
    Duration accessTokenTtl();

    /** Lifetime of a refresh token from its issue (each rotation starts a new one). */
    @WithDefault("P30D")
    Duration refreshTokenTtl();

    OAuth oauth();

    Dpop dpop();

    Password password();

    Keys keys();

    Revocation revocation();

    Database database();

    Housekeeping housekeeping();

    Throttle throttle();

    Http http();

    Web web();

    Limits limits();

    interface OAuth {
        /** E-mails of the accounts whose applications are first-party (may use the password grant for any user). */
        Optional<List<String>> firstPartyOwners();

        /** How long an authorization code may be redeemed after it is issued (RFC 6749 §4.1.2: at most 10 minutes). */
        @WithDefault("PT60S")
        Duration authorizationCodeTtl();

        /** New grants (password grant, authorization code redeemed) one user may receive within the window. */
        @WithDefault("60")
        int grantsPerUser();

        /** The fixed window in which a user's new grants count. */
        @WithDefault("PT1M")
        Duration grantsPerUserWindow();

        /** Applications one user may create within the window. */
        @WithDefault("20")
        int applicationsPerUser();

        /** The fixed window in which a user's new applications count. */
        @WithDefault("PT1H")
        Duration applicationsPerUserWindow();

        /** How long a pushed authorization request waits for the browser (RFC 9126 §2.2 expires_in; Q3). */
        @WithDefault("PT60S")
        Duration pushedRequestTtl();

        /** How long a pushed request lasts once the browser arrives: sign-in and consent (Q3). */
        @WithDefault("PT10M")
        Duration pushedRequestInteractionTtl();

        /** Pending pushed requests one application may have (Q5). */
        @WithDefault("1000")
        int pushedRequestsPerClient();

        /** Pending pushed requests of one application from one client address (Q5). */
        @WithDefault("50")
        int pushedRequestsPerAddress();

        /** How long a device code and its user code may be used (RFC 8628 §3.2 {@code expires_in}). */
        @WithDefault("PT10M")
        Duration deviceCodeTtl();

        /** Unexpired, undecided device codes one client may hold at once; beyond, 429 {@code slow_down}. */
        @WithDefault("50")
        int deviceCodesPerClient();

        /** User codes one user may enter on the device page within the window (guessing, G4). */
        @WithDefault("20")
        int deviceCodeAttemptsPerUser();

        /** The fixed window in which a user's user-code attempts count. */
        @WithDefault("PT15M")
        Duration deviceCodeAttemptsPerUserWindow();
    }

    interface Dpop {
        /** How far a DPoP proof's {@code iat} may lie from the server's time, either way (RFC 9449 §11.1). */
        @WithDefault("PT60S")
        Duration proofWindow();

        /** Whether every DPoP proof must carry a nonce the server provided (RFC 9449 §8, §9; B8). */
        @WithDefault("false")
        boolean nonces();

        /** How long one server nonce is current; a nonce is accepted for one to two lifetimes (B8). */
        @WithDefault("PT5M")
        Duration nonceLifetime();
    }

    interface Password {
        /** Argon2id memory cost in KiB. */
        @WithDefault("7168")
        int memoryKib();

        /** Argon2id iterations. */
        @WithDefault("5")
        int iterations();

        /** Argon2id lanes. */
        @WithDefault("1")
        int parallelism();

        /** Compute hashes with the system's libsodium when it is there (else BouncyCastle). */
        @WithDefault("true")
        boolean useLibsodium();

        /** Threads that compute hashes; 0 means one per core. More only add memory and cache contention. */
        @WithDefault("0")
        int threads();

        /** Hashes that may wait for a thread at once; beyond, the request fails at once (503) instead of piling up. */
        @WithDefault("512")
        int maxQueue();
    }

    interface Keys {
        /**
         * The signature algorithm of access tokens: {@code ES256} (ECDSA P-256) or {@code RS256}. A key of each is
         * always kept (the other signs the ID tokens of the clients that registered it), so changing it rotates
         * nothing: the other key, published long since, signs access tokens at once (O1).
         */
        @WithDefault("ES256")
        String algorithm();

        /**
         * PEM (PKCS#8) private key to sign access tokens with, instead of the keys of its algorithm generated and kept
         * in the database: an RSA key signs RS256, an EC P-256 key ES256, whatever {@code algorithm} says. The other
         * algorithm's keys are still generated, kept and rotated in the database (O2).
         */
        Optional<String> privateKeyPem();

        /**
         * The key-encryption key (K1): base64 of 32 random bytes. Generated keys are stored encrypted under it with
         * AES-256-GCM; the production profile refuses to start without it (K5).
         */
        Optional<String> encryptionKey();

        /**
         * Earlier key-encryption keys, comma-separated: they only decrypt, and what they encrypted is re-encrypted
         * under {@code encryption-key} (K4).
         */
        Optional<List<String>> previousEncryptionKeys();

        /**
         * Sign with Amazon Corretto Crypto Provider, AWS-LC's native ECDSA and RSA, when it loads here; the JDK's
         * provider otherwise, or when this is off.
         */
        @WithDefault("true")
        boolean nativeSignatures();

        /** RSA modulus size of generated RS256 keys. */
        @WithDefault("2048")
        int rsaKeySize();

        /** How long a generated key signs before the next one takes over. */
        @WithDefault("P30D")
        Duration rotationPeriod();

        /**
         * How long the next key is published in the JWKS before it signs. It must exceed the JWKS cache lifetime and
         * the reload interval, so every instance and every resource server knows the key before it meets a token.
         */
        @WithDefault("PT1H")
        Duration publishLead();

        /** How long a retired key stays published beyond the lifetime of the last token it signed. */
        @WithDefault("PT10M")
        Duration retireMargin();

        /** How often each instance re-reads the keys from the database. */
        @WithDefault("PT30S")
        Duration reloadInterval();

        /** How often each instance checks whether a rotation is due (one instance performs it). */
        @WithDefault("PT5M")
        Duration rotationCheckInterval();
    }

    interface Database {
        /** Time allowed to open a connection to PostgreSQL. */
        @WithDefault("PT3S")
        Duration connectTimeout();

        /** Time a request may wait for a pooled connection before it fails (503). */
        @WithDefault("PT3S")
        Duration acquireTimeout();

        /** Requests that may wait for a pooled connection at once; beyond, they fail at once (503). */
        @WithDefault("256")
        int maxWaitQueue();

        /** Server-side limit on any one SQL statement. */
        @WithDefault("PT5S")
        Duration statementTimeout();
    }

    interface Throttle {
        /**
         * Failed passwords for one account from one client address, within the window, after which that address's
         * attempts on the account are slowed.
         */
        @WithDefault("5")
        int accountFailures();

        /**
         * Failed passwords for one account from all addresses together, within the window, after which attempts on it
         * are slowed from every address but those it signed in from lately (distributed guessing).
         */
        @WithDefault("50")
        int accountWideFailures();

        /** The window in which failed passwords for one account are counted. */
        @WithDefault("PT15M")
        Duration accountWindow();

        /** The longest wait imposed between attempts on one account (the delay doubles up to it). */
        @WithDefault("PT1M")
        Duration accountMaxDelay();

        /** How long an address an account signed in from stays exempt from the account-wide limit. */
        @WithDefault("P30D")
        Duration knownAddressPeriod();

        /** Failed authentications from one client address, within the window, after which it gets 429. */
        @WithDefault("100")
        int addressFailures();

        /** The window in which failed authentications from one address are counted. */
        @WithDefault("PT5M")
        Duration addressWindow();

        /** Blocked addresses each instance keeps in memory for its per-request check (least used go first). */
        @WithDefault("10000")
        int maxBlockedAddresses();

        /** Accounts created from one client address within the sign-up window; beyond, 429. */
        @WithDefault("10")
        int signUps();

        /** Sign-up requests from one client address within the sign-up window, counted before any hashing. */
        @WithDefault("20")
        int signUpAttempts();

        /** The window in which sign-ups and sign-up attempts from one address are counted. */
        @WithDefault("PT1H")
        Duration signUpWindow();
    }

    interface Http {
        /**
         * Addresses or CIDR ranges of the reverse proxies in front of the service. From them, the client is the
         * rightmost {@code X-Forwarded-For} hop outside these ranges; from anyone else the header is ignored.
         */
        Optional<List<String>> trustedProxies();
    }

    interface Housekeeping {
        /** How often expired rows are deleted (one instance does it each round). */
        @WithDefault("10m")
        Duration interval();
    }

    interface Revocation {
        /** How often each instance re-reads recent revocations (covers missed notifications) and proves it is in touch. */
        @WithDefault("PT1S")
        Duration pollInterval();

        /** How long an instance may go without reaching the database before it stops vouching for tokens. */
        @WithDefault("PT5S")
        Duration maxStaleness();
    }

    interface Limits {
        /**
         * L1: the largest request body, declared or sent in chunks; a larger one is answered 413 in the endpoint's
         * error format and its connection closed.
         */
        @WithDefault("1M")
        MemorySize maxBodySize();

        /** L5: the longest request target (path and query), in characters; a longer one is answered 414. */
        @WithDefault("8192")
        int maxUrlLength();

        /** L6: the largest header block (names, values and separators); a larger one is answered 431. */
        @WithDefault("16K")
        MemorySize maxHeaderSize();
    }

    interface Web {
        /** Whether the session cookie is marked Secure (sent over HTTPS only); dev and test run on plain HTTP. */
        @WithDefault("true")
        boolean secureCookies();

        /** A web session ends after this long without a request. */
        @WithDefault("PT1H")
        Duration sessionIdleTimeout();

        /** A web session ends this long after sign-in, however active. */
        @WithDefault("PT12H")
        Duration sessionMaxAge();
    }
}
