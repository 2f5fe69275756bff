package io.storeman.account;

import io.smallrye.mutiny.Uni;
import io.storeman.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Authenticates account management requests with the user's own e-mail and password (HTTP Basic). */
@ApplicationScoped
public class AccountAuthenticator {

    private static final String BASIC = "basic ";
    private static final int MAX_HEADER_LENGTH = 4096;

    private final PasswordAuthentication passwords;
    private final PasswordHasher hasher;

    AccountAuthenticator(PasswordAuthentication passwords, PasswordHasher hasher) {
        this.passwords = passwords;
        this.hasher = hasher;
    }

    public Uni<User> authenticate(String authorization) {
        String[] credentials = basicCredentials(authorization);
        return passwords.authenticate(credentials[0], credentials[1], "account_api", null)
                .onItem().ifNull().failWith(ProblemException::unauthenticated);
    }

    /** Checks a signed-in user's password again (for a password change). */
    public Uni<Boolean> verifyPassword(User user, String password) {
        return hasher.verify(password, user.passwordHash);
    }

    private static String[] basicCredentials(String authorization) {
        if (authorization == null || authorization.length() > MAX_HEADER_LENGTH
                || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            throw ProblemException.unauthenticated();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.unauthenticated();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            throw ProblemException.unauthenticated();
        }
        String email = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        // Credentials no account can have are refused before any hash or lookup (L2, L3, L8).
        if (!EmailAddress.isPossible(email) || !PasswordPolicy.isCheckable(password)) {
            throw ProblemException.unauthenticated();
        }
        return new String[] {email, password};
    }
}
