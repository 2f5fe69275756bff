package io.storeman.account;

import io.storeman.common.TextInput;
import java.util.Locale;
import java.util.Optional;

/**
 * The e-mail rule of every account, checked wherever an address comes in (the account API, the sign-up and sign-in
 * pages, HTTP Basic, the password grant) before anything is hashed or looked up: something@something.tld with no
 * whitespace and only visible characters (P4), at most 254 characters once {@linkplain #normalize normalized} (NFKC
 * and lower-casing can lengthen it), the form stored and looked up. Deliverability is the mail server's business.
 * <p>
 * One pass over the text, so no address costs more than its length (a backtracking pattern did: each doubling of a
 * crafted address cost four times the CPU).
 */
public final class EmailAddress {

    public static final int MAX_LENGTH = TextInput.MAX_EMAIL_LENGTH;
    /**
     * Longer input is refused before it is normalized, which may make it 18 times longer: room enough for the
     * spaces around an address and for accents typed as separate combining marks.
     */
    private static final int MAX_INPUT_LENGTH = 4 * MAX_LENGTH;
    static final String INVALID = "must be an e-mail address";

    private EmailAddress() {
    }

    /**
     * The one form of an address (P3), stored, looked up, and compared with the first-party list (D9): {@link
     * TextInput#normalize} (NFKC, stripped), lower-cased, so that a look-alike in fullwidth letters or with a
     * non-breaking space around it reaches the same account at sign-up and at sign-in.
     */
    public static String normalize(String email) {
        return TextInput.normalize(email).toLowerCase(Locale.ROOT);
    }

    /** Why this address cannot be an account's, as a message to show beside the field; empty when it can. */
    public static Optional<String> problem(String email) {
        if (TextInput.isBlank(email)) {
            return Optional.of("must not be blank");
        }
        String tooLong = "must be at most " + MAX_LENGTH + " characters long";
        if (email.length() > MAX_INPUT_LENGTH) {
            return Optional.of(tooLong);
        }
        String address = normalize(email);
        if (address.length() > MAX_LENGTH) {
            return Optional.of(tooLong);
        }
        return TextInput.isVisible(address) && isWellFormed(address) ? Optional.empty() : Optional.of(INVALID);
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
            } else if (TextInput.isWhitespace(c) || c == '\uFFFD') {
                return false;
            }
        }
        return at > 0 && dotted;
    }
}
