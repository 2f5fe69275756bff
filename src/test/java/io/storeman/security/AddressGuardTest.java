package io.storeman.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The guard's reading of a path: every spelling of a guarded endpoint is guarded, and nothing else. */
class AddressGuardTest {

    private static boolean guarded(String path) {
        return AddressGuard.isGuarded(AddressGuard.canonical(path));
    }

    @Test
    void whenPathIsASpellingOfAGuardedEndpointThenGuarded() {
        for (String path : new String[] {"/oauth/token", "/oauth/token/", "//oauth//token", "/oauth/%74oken",
                "/oauth%2Ftoken", "/oauth/%2574oken", "/x/../oauth/token", "/./oauth/./token", "/OAuth/Token",
                "/oauth/token;x=1", "/users/sign_in;jsessionid=1", "/users/sign_in/", "/USERS/SIGN_UP",
                "/api/v1/me/password/", "/api/v1//users", "/api/v1/oauth/applications/7/secret",
                "/api/v1/authorized_applications/abc", "\\oauth\\token", "/api/v1/x/%2e%2e/users"}) {
            assertTrue(guarded(path), path);
        }
    }

    @Test
    void whenPathIsAnotherEndpointThenNotGuarded() {
        for (String path : new String[] {"/", "/q/health/live", "/api/v1/me", "/api/v1/spaces", "/account",
                "/users/sign_out", "/oauth/../q/health", "/api/v1/users_x", "/%", "/%zz/oauth"}) {
            assertFalse(guarded(path), path);
        }
    }

    @Test
    void whenPathIsLongThenReadInOnePass() {
        String path = "/oauth/" + "a/".repeat(200_000) + "%2e%2e/".repeat(200_000) + "token";
        assertEquals("/oauth/token", AddressGuard.canonical(path));
    }
}
