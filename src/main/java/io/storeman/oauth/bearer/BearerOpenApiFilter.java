package io.storeman.oauth.bearer;

import io.quarkus.security.Authenticated;
import io.quarkus.security.PermissionsAllowed;
import jakarta.annotation.security.PermitAll;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the Bearer rules once, from the security annotations (docs/security.md A1-A4), instead of on every
 * method: an operation whose method is {@code @PermissionsAllowed} or {@code @Authenticated} gets the {@code bearer}
 * security requirement (with its scopes) and the 401, 403 (scoped methods only) and 503 answers the mechanism gives.
 * The scanner names each operation after its Java method ({@code operationIdStrategy=PACKAGE_CLASS_METHOD}); the
 * filter reads the method's annotations, then drops the id so that the document's operations stay unnamed.
 */
public class BearerOpenApiFilter implements OASFilter {

    /** The security scheme of Bearer access tokens, declared in {@code common.OpenApiDefinition}. */
    public static final String SCHEME = "bearer";

    @Override
    public Operation filterOperation(Operation operation) {
        Optional<List<String>> scopes = method(operation.getOperationId()).flatMap(BearerOpenApiFilter::scopes);
        if (operation.getOperationId() != null && operation.getOperationId().startsWith("io.storeman.")) {
            operation.setOperationId(null);
        }
        scopes.ifPresent(required -> describe(operation, required));
        return operation;
    }

    /** The scopes a Bearer-protected method needs (empty: any valid token), or empty when it takes no token. */
    static Optional<List<String>> scopes(Method method) {
        if (method.isAnnotationPresent(PermitAll.class)) {
            return Optional.empty();
        }
        PermissionsAllowed allowed = method.getAnnotation(PermissionsAllowed.class);
        if (allowed != null) {
            return Optional.of(List.of(allowed.value()));
        }
        if (method.isAnnotationPresent(Authenticated.class)) {
            return Optional.of(List.of());
        }
        Class<?> resource = method.getDeclaringClass();
        if (resource.isAnnotationPresent(PermissionsAllowed.class)) {
            return Optional.of(List.of(resource.getAnnotation(PermissionsAllowed.class).value()));
        }
        return resource.isAnnotationPresent(Authenticated.class) ? Optional.of(List.of()) : Optional.empty();
    }

    private static void describe(Operation operation, List<String> scopes) {
        operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(SCHEME, scopes));
        APIResponses responses = operation.getResponses() == null
                ? OASFactory.createAPIResponses()
                : operation.getResponses();
        add(responses, "401", "No, invalid, expired or revoked token (WWW-Authenticate: Bearer, RFC 6750 §3)");
        if (!scopes.isEmpty()) {
            add(responses, "403", "insufficient_scope: the token lacks " + String.join(" ", scopes));
        }
        add(responses, "503", "Revocation status cannot be confirmed (Retry-After)");
        operation.setResponses(responses);
    }

    private static void add(APIResponses responses, String status, String description) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        }
    }

    /** The Java method an operation id of the form {@code package.Class_method} names. */
    private static Optional<Method> method(String operationId) {
        if (operationId == null) {
            return Optional.empty();
        }
        int separator = operationId.indexOf('_', operationId.lastIndexOf('.') + 1);
        if (separator < 0) {
            return Optional.empty();
        }
        String methodName = operationId.substring(separator + 1);
        try {
            Class<?> resource = Class.forName(operationId.substring(0, separator), false,
                    Thread.currentThread().getContextClassLoader());
            for (Method method : resource.getDeclaredMethods()) {
                if (method.getName().equals(methodName)) {
                    return Optional.of(method);
                }
            }
            return Optional.empty();
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }
}
