package io.storeman.item;

import io.storeman.common.ErrorFormat;
import io.quarkus.security.PermissionsAllowed;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.smallrye.mutiny.Uni;
import io.storeman.common.Paging;
import io.storeman.common.Paging.PageRequest;
import io.storeman.oauth.Scope;
import io.storeman.oauth.bearer.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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

/** {@code /api/v1/spaces/{spaceId}/items}: the items of one of the caller's spaces. */
@ErrorFormat(ErrorFormat.Format.PROBLEM)
@Path("/api/v1/spaces/{spaceId}/items")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Storeman API")
public class SpaceItemsResource {

    private final ItemService service;
    private final Caller caller;

    SpaceItemsResource(ItemService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @PermissionsAllowed(Scope.Names.READ_ITEMS)
    @Operation(summary = "The items of a space, a page at a time (limit, cursor; Link rel=next)")
    @APIResponse(responseCode = "200", description = "A JSON array of items")
    @APIResponse(responseCode = "400", description = "Bad limit or cursor (problem+json)")
    @APIResponse(responseCode = "404", description = "No such space of this user")
    public Uni<Response> list(@PathParam("spaceId") long spaceId, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        PageRequest request = Paging.request(limit, cursor);
        return service.page(caller.userId(), spaceId, request)
                .map(page -> Paging.page(page.rows(), request, ItemView::id, rows -> page.json(), uri));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Scope.Names.WRITE_ITEMS)
    @Operation(summary = "Add an item to a space")
    @APIResponse(responseCode = "201", description = "Created, with Location")
    @APIResponse(responseCode = "400", description = "Validation errors (problem+json)")
    @APIResponse(responseCode = "404", description = "No such space of this user")
    public Uni<Response> create(@PathParam("spaceId") long spaceId, @Valid @NotNull ItemInput input) {
        return service.create(caller.userId(), spaceId, input)
                .map(item -> Response.created(URI.create("/api/v1/items/" + item.id))
                        .entity(ItemView.of(item))
                        .build());
    }
}
