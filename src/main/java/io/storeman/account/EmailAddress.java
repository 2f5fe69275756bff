package io.storeman.account;

import io.storeman.common.TextInput;
import java.util.Optional;

/**
 * The e-mail rule of every account, checked wherever an address comes in (the account API, the sign-up and sign-in
 * pages, HTTP Basic, the password grant) before anything is hashed or looked up: something@something.tld with no
 * space, control character or broken character, at most 254 characters once normalized (trimmed, lower-cased:
 * lower-casing can lengthen it), the form stored and looked up. Deliverability is the mail server's business.
 * <p>
 * One pass over the text, so no address costs more than its length (a backtracking pattern did: each doubling of a
 * crafted address cost four times the CPU).
 */
public final class EmailAddress {

    public static final int MAX_LENGTH = TextInput.MAX_EMAIL_LENGTH;
    static final String INVALID = "must be an e-mail address";

    private EmailAddress() {
    }

    /** Why this address cannot be an account's, as a message to show beside the field; empty when it can. */
    public static Optional<String> problem(String email) {
        if (email == null || email.isBlank()) {
            return Optional.of("must not be blank");
        }
        String address = UserRepository.normalizeEmail(email);
        if (address.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters long");
        }
        return TextInput.isPlain(address) && isWellFormed(address) ? Optional.empty() : Optional.of(INVALID);
    }

    /** Whether this address could belong to an account: what sign-in checks before it hashes a password. */
    public static boolean isPossible(String email) {
        return problem(email).isEmpty();
    }

    /**
     * One at sign with something before it, a dot after it with something on both sides, and no whitespace or
     * U+FFFD (the mark of bytes that were not UTF-8) anywhere.
     */
    private static boolean isWellFormed(String address) {
        int at = -1;
        boolean dotted = false;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == '@') {
                if (at >= 0) {
                    return false;
                }
                at = i;
            } else if (c == '.') {
                dotted |= at >= 0 && i > at + 1 && i < address.length() - 1;
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFFFD') {
                return false;
            }
        }
        return at > 0 && dotted;
    }
}
