package io.storeman.oauth.authorize;

import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthException;
import io.storeman.oauth.token.IdTokenHints;
import io.storeman.oauth.token.IdTokenHints.IdTokenHint;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The OpenID Connect parameters of an authorization request (Core 1.0 §3.1.2.1), read on every request, with or
 * without {@code openid} in its scope: they are about how the user is asked, which is the same either way; only the
 * ID token (and so the {@code nonce} kept with the code) needs {@code openid} (docs/security.md O5, O6).
 *
 * @param nonce echoed exactly in the ID token; null when absent
 * @param prompts the {@code prompt} values; empty when absent
 * @param maxAge {@code max_age} in seconds, or null
 * @param loginHint prefills the sign-in form's e-mail; null when absent
 * @param idTokenHint the {@code id_token_hint} as sent, or null
 * @param hint what the verified {@code id_token_hint} says, or null
 * @param display the {@code display} value as sent (every one is shown as a page), or null
 * @param responseMode {@code query} when sent (the only mode), or null
 */
public record OpenIdParameters(String nonce, Set<Prompt> prompts, Long maxAge, String loginHint,
        String idTokenHint, IdTokenHint hint, String display, String responseMode) {

    /** None of them: a plain OAuth request. */
    public static final OpenIdParameters NONE = new OpenIdParameters(null, Set.of(), null, null, null, null, null,
            null);

    /** Longer than any nonce a client needs (Core sets no bound; the column holds 2,048). */
    static final int MAX_NONCE = 512;
    /** An e-mail address at most (L2): a longer hint could prefill nothing that signs in. */
    static final int MAX_LOGIN_HINT = 254;
    /** Up to 31 years: any larger {@code max_age} means "whenever", and is refused rather than overflowing. */
    static final int MAX_AGE_DIGITS = 9;

    /** Core 1.0 §3.1.2.1's {@code prompt} values, all supported. */
    public enum Prompt {
        NONE, LOGIN, CONSENT, SELECT_ACCOUNT;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Set<String> DISPLAYS = Set.of("page", "popup", "touch", "wap");

    public boolean has(Prompt prompt) {
        return prompts.contains(prompt);
    }

    /**
     * These parameters once the user has signed in on the sign-in page this request sent them to: {@code prompt=login}
     * and {@code max_age} are satisfied by that sign-in, so the request the browser returns with drops them rather
     * than sending it to sign in again, forever (O5).
     */
    OpenIdParameters signedIn() {
        Set<Prompt> rest = EnumSet.noneOf(Prompt.class);
        rest.addAll(prompts);
        rest.remove(Prompt.LOGIN);
        return new OpenIdParameters(nonce, Set.copyOf(rest), null, loginHint, idTokenHint, hint, display,
                responseMode);
    }

    /** As request parameters, to carry through the consent form and the sign-in page. */
    void addTo(Map<String, String> parameters) {
        put(parameters, "nonce", nonce);
        if (!prompts.isEmpty()) {
            put(parameters, "prompt", prompts.stream().sorted().map(Prompt::value).collect(Collectors.joining(" ")));
        }
        put(parameters, "max_age", maxAge == null ? null : maxAge.toString());
        put(parameters, "login_hint", loginHint);
        put(parameters, "id_token_hint", idTokenHint);
        put(parameters, "display", display);
        put(parameters, "response_mode", responseMode);
    }

    /**
     * Reads and checks the parameters (each already single and plain text, and at most 2,048 characters); fails with
     * the {@link OAuthException} to answer on the redirect. {@code value} gives a parameter's value, null when absent
     * or empty.
     */
    static OpenIdParameters read(Function<String, String> value, String clientId, IdTokenHints hints) {
        refuse(value, "request", OAuthError.REQUEST_NOT_SUPPORTED, "Request objects (request) are not supported.");
        refuse(value, "request_uri", OAuthError.REQUEST_URI_NOT_SUPPORTED, "request_uri is not supported.");
        refuse(value, "registration", OAuthError.REGISTRATION_NOT_SUPPORTED,
                "The registration parameter is not supported.");
        refuse(value, "claims", OAuthError.INVALID_REQUEST, "The claims parameter is not supported.");
        String responseMode = value.apply("response_mode");
        if (responseMode != null && !responseMode.equals("query")) {
            throw invalid("Only response_mode=query is supported.");
        }
        String display = value.apply("display");
        if (display != null && !DISPLAYS.contains(display)) {
            throw invalid("display must be page, popup, touch or wap.");
        }
        String nonce = value.apply("nonce");
        if (nonce != null && nonce.length() > MAX_NONCE) {
            throw invalid("The nonce is longer than " + MAX_NONCE + " characters.");
        }
        String loginHint = value.apply("login_hint");
        if (loginHint != null && loginHint.length() > MAX_LOGIN_HINT) {
            throw invalid("The login_hint is longer than " + MAX_LOGIN_HINT + " characters.");
        }
        String idTokenHint = value.apply("id_token_hint");
        IdTokenHint hint = null;
        if (idTokenHint != null) {
            hint = hints.verify(idTokenHint).filter(verified -> verified.issuedTo(clientId))
                    .orElseThrow(() -> invalid("The id_token_hint is not an ID token this server issued to the "
                            + "application."));
        }
        return new OpenIdParameters(nonce, prompts(value.apply("prompt")), maxAge(value.apply("max_age")), loginHint,
                idTokenHint, hint, display, responseMode);
    }

    /** Space-separated, each value known and given once; {@code none} only alone (Core 1.0 §3.1.2.1). */
    private static Set<Prompt> prompts(String prompt) {
        if (prompt == null) {
            return Set.of();
        }
        Set<Prompt> prompts = EnumSet.noneOf(Prompt.class);
        for (String word : prompt.split(" ", -1)) {
            Prompt parsed = null;
            for (Prompt known : Prompt.values()) {
                if (known.value().equals(word)) {
                    parsed = known;
                }
            }
            if (parsed == null || !prompts.add(parsed)) {
                throw invalid("prompt must be none, or any of login, consent and select_account, each once.");
            }
        }
        if (prompts.contains(Prompt.NONE) && prompts.size() > 1) {
            throw invalid("prompt=none cannot be combined with another value.");
        }
        return Set.copyOf(prompts);
    }

    /** A non-negative decimal integer of at most {@link #MAX_AGE_DIGITS} digits. */
    private static Long maxAge(String maxAge) {
        if (maxAge == null) {
            return null;
        }
        if (maxAge.length() > MAX_AGE_DIGITS || !maxAge.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid("max_age must be a number of seconds, at most " + MAX_AGE_DIGITS + " digits.");
        }
        return Long.parseLong(maxAge);
    }

    private static void refuse(Function<String, String> value, String name, OAuthError error, String description) {
        if (value.apply(name) != null) {
            throw error.exception(description);
        }
    }

    private static OAuthException invalid(String description) {
        return OAuthError.INVALID_REQUEST.exception(description);
    }

    private static void put(Map<String, String> parameters, String name, String value) {
        if (value != null) {
            parameters.put(name, value);
        }
    }
}
