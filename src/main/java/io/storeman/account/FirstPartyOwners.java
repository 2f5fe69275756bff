package io.storeman.account;

import io.storeman.common.StoremanConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The e-mails listed in {@code storeman.oauth.first-party-owners}, whose accounts' applications may use the password
 * grant for any user (D5). Sign-up never proves that someone owns an address, so a listed address is refused to
 * anyone who signs up (D9): only an account that existed before its address was listed can be first-party.
 */
@ApplicationScoped
public class FirstPartyOwners {

    private final Set<String> emails;

    @Inject
    FirstPartyOwners(StoremanConfig config) {
        this(config.oauth().firstPartyOwners().orElse(List.of()));
    }

    FirstPartyOwners(Collection<String> listed) {
        this.emails = listed.stream()
                .map(EmailAddress::normalize)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Whether this address, in its stored form ({@link EmailAddress#normalize}), is listed. It is compared as it is,
     * never normalized again: an account stored before P3 under a look-alike of a listed address stays third-party.
     */
    public boolean includes(String normalizedEmail) {
        return emails.contains(normalizedEmail);
    }
}
