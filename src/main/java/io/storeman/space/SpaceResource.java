package io.storeman.space;

import io.storeman.common.ErrorFormat;
import io.quarkus.security.PermissionsAllowed;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.storeman.common.Paging;
import io.storeman.common.Paging.PageRequest;
import io.storeman.common.MergePatch;
import io.storeman.oauth.Scope;
import io.storeman.oauth.bearer.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/** {@code /api/v1/spaces}: the caller's spaces, read with {@code read_spaces}, changed with {@code write_spaces}. */
@ErrorFormat(ErrorFormat.Format.PROBLEM)
@Path("/api/v1/spaces")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Storeman API")
public class SpaceResource {

    private final SpaceService service;
    private final Caller caller;

    SpaceResource(SpaceService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @PermissionsAllowed(Scope.Names.READ_SPACES)
    @Operation(summary = "The user's spaces, a page at a time (limit, cursor; Link rel=next)")
    @APIResponse(responseCode = "200", description = "A JSON array of spaces")
    @APIResponse(responseCode = "400", description = "Bad limit or cursor (problem+json)")
    public Uni<Response> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        PageRequest request = Paging.request(limit, cursor);
        return service.page(caller.userId(), request)
                .map(rows -> Paging.page(rows, request, space -> space.id,
                        page -> page.stream().map(SpaceView::of).toList(), uri));
    }

    @GET
    @Path("{id}")
    @PermissionsAllowed(Scope.Names.READ_SPACES)
    @Operation(summary = "One space")
    @APIResponse(responseCode = "200", description = "The space")
    @APIResponse(responseCode = "404", description = "No such space of this user")
    public Uni<SpaceView> get(@PathParam("id") long id) {
        return service.get(caller.userId(), id).map(SpaceView::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Scope.Names.WRITE_SPACES)
    @Operation(summary = "Create a space")
    @APIResponse(responseCode = "201", description = "Created, with Location")
    @APIResponse(responseCode = "400", description = "Validation errors (problem+json)")
    public Uni<Response> create(@Valid @NotNull SpaceInput input) {
        return service.create(caller.userId(), input)
                .map(space -> Response.created(URI.create("/api/v1/spaces/" + space.id))
                        .entity(SpaceView.of(space))
                        .build());
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, MergePatch.MEDIA_TYPE})
    @PermissionsAllowed(Scope.Names.WRITE_SPACES)
    @Operation(summary = "Change a space (JSON merge patch)")
    @APIResponse(responseCode = "200", description = "The changed space")
    @APIResponse(responseCode = "400", description = "Validation errors (problem+json)")
    @APIResponse(responseCode = "404", description = "No such space of this user")
    public Uni<SpaceView> update(@PathParam("id") long id, ObjectNode patch) {
        return service.update(caller.userId(), id, patch).map(SpaceView::of);
    }

    @DELETE
    @Path("{id}")
    @PermissionsAllowed(Scope.Names.WRITE_SPACES)
    @Operation(summary = "Delete a space and its items")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such space of this user")
    public Uni<Response> delete(@PathParam("id") long id) {
        return service.delete(caller.userId(), id).map(done -> Response.noContent().build());
    }
}
