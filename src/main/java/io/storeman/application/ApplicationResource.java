package io.storeman.application;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import io.storeman.account.AccountAuthenticator;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/** The account's OAuth applications, managed with the account's own credentials. */
@Path("/api/v1/oauth/applications")
@Produces(MediaType.APPLICATION_JSON)
public class ApplicationResource {

    private final AccountAuthenticator accounts;
    private final ApplicationService service;

    ApplicationResource(AccountAuthenticator accounts, ApplicationService service) {
        this.accounts = accounts;
        this.service = service;
    }

    public record CreateApplicationRequest(
            @NotBlank @Size(max = 100) String name,
            @NotBlank @Size(max = 200) String scopes,
            @Size(max = 2000) String redirectUri,
            Boolean confidential) {
    }

    public record ApplicationView(Long id, String name, String clientId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String clientSecret, String scopes, String redirectUri,
            boolean confidential, Instant createdAt) {

        static ApplicationView of(OAuthApplication application, String clientSecret) {
            return new ApplicationView(application.id, application.name, application.clientId, clientSecret,
                    application.scopes, application.redirectUri, application.confidential, application.createdAt);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Valid @NotNull CreateApplicationRequest request) {
        return accounts.authenticate(authorization)
                .chain(owner -> service.register(owner.id, request.name(), request.scopes(), request.redirectUri(),
                        request.confidential() == null || request.confidential()))
                .map(registered -> Response
                        .created(URI.create("/api/v1/oauth/applications/" + registered.application().id))
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .entity(ApplicationView.of(registered.application(), registered.clientSecret()))
                        .build());
    }

    @GET
    public Uni<List<ApplicationView>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return accounts.authenticate(authorization)
                .chain(owner -> service.list(owner.id))
                .map(list -> list.stream().map(application -> ApplicationView.of(application, null)).toList());
    }
}
