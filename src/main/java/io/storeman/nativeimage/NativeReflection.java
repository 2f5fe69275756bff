package io.storeman.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.storeman.api.ApplicationResource;
import io.storeman.api.AuthorizedApplicationResource;
import io.storeman.api.UserResource;
import io.storeman.common.Problem;
import io.storeman.item.ItemInput;
import io.storeman.item.ItemView;
import io.storeman.oauth.OAuthErrorWriter;
import io.storeman.oauth.endpoint.ParResource;
import io.storeman.oauth.endpoint.DeviceAuthorizationResource;
import io.storeman.oauth.endpoint.ServerMetadata;
import io.storeman.oauth.endpoint.TokenInfoResource;
import io.storeman.oauth.endpoint.TokenResponse;
import io.storeman.oauth.endpoint.UserInfoResource;
import io.storeman.oauth.introspect.Introspection;
import io.storeman.space.SpaceInput;
import io.storeman.space.SpaceView;

/**
 * What a native image must be told to keep for reflection (docs/native.md). Quarkus REST registers the declared
 * return and parameter types of resource methods, but not the records a method wraps in a {@code Response} (or
 * writes with the {@code ObjectMapper} itself, or reads with {@code MergePatch}): Jackson finds their accessors and
 * constructors by reflection, so a native image without this list would answer {@code {}} or fail. Caffeine picks
 * its cache class by name at run time; Quarkus' Caffeine extension registers the usual ones, but not
 * {@code SSMW}, the weight-bounded cache of {@code ItemPages}. Holds no code: only this annotation.
 */
@RegisterForReflection(targets = {
    // Written inside a Response, or by the error writers.
    OAuthErrorWriter.ErrorBody.class,
    Problem.class,
    TokenResponse.class,
    ParResource.PushedResponse.class,
    Introspection.class,
    Introspection.Confirmation.class,
    ServerMetadata.Metadata.class,
    DeviceAuthorizationResource.DeviceAuthorization.class,
    UserInfoResource.UserInfo.class,
    TokenInfoResource.TokenInfo.class,
    TokenInfoResource.Application.class,
    UserResource.UserView.class,
    ApplicationResource.ApplicationView.class,
    ApplicationResource.SecretView.class,
    AuthorizedApplicationResource.AuthorizedApplicationView.class,
    SpaceView.class,
    ItemView.class,
    // Read by MergePatch (treeToValue) from a PATCH body.
    SpaceInput.class,
    ItemInput.class
}, classNames = {
    "com.github.benmanes.caffeine.cache.SSMW",
    "com.github.benmanes.caffeine.cache.PSMW"
})
public final class NativeReflection {

    private NativeReflection() {
    }
}
