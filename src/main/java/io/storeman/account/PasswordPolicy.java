package io.storeman.account;

import io.storeman.common.TextInput;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a new password must be: at least 8 characters, at most 1024 UTF-16 code units (limit L3), no control
 * character or broken character (L8), and not one of the 1,000 most common passwords (resource
 * {@code account/common-passwords.txt}, compared without regard to case).
 */
@ApplicationScoped
public class PasswordPolicy {

    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = TextInput.MAX_PASSWORD_LENGTH;
    static final String COMMON_PASSWORDS = "account/common-passwords.txt";

    private final Set<String> common;

    PasswordPolicy() {
        this.common = load();
    }

    /** Why this password may not be used, as a message to show beside the field; empty when it may. */
    public Optional<String> problem(String password) {
        if (password == null || password.isEmpty()) {
            return Optional.of("must not be blank");
        }
        if (password.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters long");
        }
        if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
            return Optional.of("must be at least " + MIN_LENGTH + " characters long");
        }
        if (!TextInput.isPlain(password)) {
            return Optional.of("must not contain control or invalid characters");
        }
        if (isCommon(password)) {
            return Optional.of("is one of the most common passwords; choose one that is harder to guess");
        }
        return Optional.empty();
    }

    /**
     * Whether a password presented to sign in is worth hashing: no longer than any password ever accepted (L3).
     * Any characters are allowed, so that no earlier password is locked out; nothing but its hash is ever kept.
     */
    public static boolean isCheckable(String password) {
        return password != null && password.length() <= MAX_LENGTH;
    }

    public boolean isCommon(String password) {
        return common.contains(password.toLowerCase(Locale.ROOT));
    }

    int size() {
        return common.size();
    }

    private static Set<String> load() {
        InputStream stream = Thread.currentThread().getContextClassLoader().getResourceAsStream(COMMON_PASSWORDS);
        if (stream == null) {
            throw new IllegalStateException("Missing resource " + COMMON_PASSWORDS);
        }
        Set<String> passwords = new HashSet<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String password = line.strip();
                if (!password.isEmpty() && !password.startsWith("#")) {
                    passwords.add(password.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(passwords);
    }
}
