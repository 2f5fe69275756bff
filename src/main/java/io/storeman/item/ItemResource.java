package io.storeman.item;

import io.storeman.common.ErrorFormat;
import io.quarkus.security.PermissionsAllowed;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.storeman.common.MergePatch;
import io.storeman.oauth.Scope;
import io.storeman.oauth.bearer.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /api/v1/items/{id}}: one of the caller's items, read with {@code read_items}, changed with {@code write_items}. */
@ErrorFormat(ErrorFormat.Format.PROBLEM)
@Path("/api/v1/items")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Storeman API")
public class ItemResource {

    private final ItemService service;
    private final Caller caller;

    ItemResource(ItemService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Path("{id}")
    @PermissionsAllowed(Scope.Names.READ_ITEMS)
    @Operation(summary = "One item")
    @APIResponse(responseCode = "200", description = "The item")
    @APIResponse(responseCode = "404", description = "No such item of this user")
    public Uni<ItemView> get(@PathParam("id") long id) {
        return service.get(caller.userId(), id).map(ItemView::of);
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, MergePatch.MEDIA_TYPE})
    @PermissionsAllowed(Scope.Names.WRITE_ITEMS)
    @Operation(summary = "Change an item (JSON merge patch)")
    @APIResponse(responseCode = "200", description = "The changed item")
    @APIResponse(responseCode = "400", description = "Validation errors (problem+json)")
    @APIResponse(responseCode = "404", description = "No such item of this user")
    public Uni<ItemView> update(@PathParam("id") long id, ObjectNode patch) {
        return service.update(caller.userId(), id, patch).map(ItemView::of);
    }

    @DELETE
    @Path("{id}")
    @PermissionsAllowed(Scope.Names.WRITE_ITEMS)
    @Operation(summary = "Delete an item")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such item of this user")
    public Uni<Response> delete(@PathParam("id") long id) {
        return service.delete(caller.userId(), id).map(done -> Response.noContent().build());
    }
}
