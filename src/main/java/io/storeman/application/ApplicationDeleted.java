package io.storeman.application;

import io.smallrye.mutiny.Uni;

/**
 * What deleting an application sets off in the packages above this one: every token it holds is revoked. Runs in
 * the deleting transaction, before the row goes; a failure keeps the application.
 */
public interface ApplicationDeleted {

    Uni<Void> applicationDeleted(OAuthApplication application);
}
