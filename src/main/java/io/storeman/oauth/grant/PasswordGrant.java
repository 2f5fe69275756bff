package io.storeman.oauth.grant;

import io.smallrye.mutiny.Uni;
import io.storeman.account.EmailAddress;
import io.storeman.account.FirstPartyOwners;
import io.storeman.account.PasswordAuthentication;
import io.storeman.account.User;
import io.storeman.account.UserProfiles;
import io.storeman.application.OAuthApplication;
import io.storeman.oauth.OAuthError;
import io.storeman.oauth.OAuthParameters;
import io.storeman.oauth.Scopes;
import io.storeman.oauth.token.IssuedTokens;
import io.storeman.oauth.token.TokenIssuer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * RFC 6749 §4.3, the resource owner password grant, kept for a user's own scripts (RFC 9700 §2.4 deprecates it:
 * docs/security.md N9). Only confidential clients may use it, and only to sign in the application's owner, unless the
 * application is first-party (D5, D9). A wrong password and an unknown user get the same answer in the same time.
 */
@ApplicationScoped
public class PasswordGrant implements TokenGrant {

    private final UserProfiles profiles;
    private final PasswordAuthentication passwords;
    private final TokenIssuer issuer;
    private final FirstPartyOwners firstPartyOwners;

    PasswordGrant(UserProfiles profiles, PasswordAuthentication passwords, TokenIssuer issuer,
            FirstPartyOwners firstPartyOwners) {
        this.profiles = profiles;
        this.passwords = passwords;
        this.issuer = issuer;
        this.firstPartyOwners = firstPartyOwners;
    }

    @Override
    public String grantType() {
        return "password";
    }

    @Override
    public Uni<IssuedTokens> issue(OAuthParameters parameters, OAuthApplication client, String jkt) {
        if (!client.confidential) {
            throw OAuthError.UNAUTHORIZED_CLIENT.exception("Public clients cannot use the password grant.");
        }
        String username = parameters.require("username");
        String password = parameters.require("password");
        if (!EmailAddress.isPossible(username)) {
            // Malformed rather than wrong (L2): no account has it, so nothing is hashed and no failure is counted.
            throw OAuthError.INVALID_REQUEST.exception("The username must be the account's e-mail address.");
        }
        Scopes scopes = GrantScopes.requested(parameters, client.scopes);
        return passwords.authenticate(username, password, "password_grant", client.clientId)
                .map(PasswordGrant::signedIn)
                .call(user -> checkMaySignIn(client, user))
                .chain(user -> issuer.issueForUser(client, user.id, scopes, scopes, jkt));
    }

    /**
     * Third-party applications use the authorization code flow for anyone but their owner. Checked only after the
     * credentials, so that every failure before it looks the same whether or not the user exists.
     */
    private Uni<Void> checkMaySignIn(OAuthApplication client, User user) {
        if (user.id.equals(client.ownerId)) {
            return Uni.createFrom().voidItem();
        }
        return profiles.find(client.ownerId)
                .invoke(owner -> {
                    if (owner == null || !firstPartyOwners.includes(owner.email())) {
                        throw OAuthError.UNAUTHORIZED_CLIENT.exception(
                                "This application may sign in only its owner; other users must authorize it.");
                    }
                })
                .replaceWithVoid();
    }

    private static User signedIn(User user) {
        if (user == null) {
            throw OAuthError.INVALID_GRANT.exception("Invalid username or password.");
        }
        return user;
    }
}
