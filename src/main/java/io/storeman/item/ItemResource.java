package io.storeman.item;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.storeman.common.MergePatch;
import io.storeman.oauth.Scope;
import io.storeman.security.Caller;
import io.storeman.security.RequiresScope;
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
@Path("/api/v1/items")
@Produces(MediaType.APPLICATION_JSON)
public class ItemResource {

    private final ItemService service;
    private final Caller caller;

    ItemResource(ItemService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Path("{id}")
    @RequiresScope(Scope.READ_ITEMS)
    public Uni<ItemView> get(@PathParam("id") long id) {
        return service.get(caller.userId(), id).map(ItemView::of);
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, MergePatch.MEDIA_TYPE})
    @RequiresScope(Scope.WRITE_ITEMS)
    public Uni<ItemView> update(@PathParam("id") long id, ObjectNode patch) {
        return service.update(caller.userId(), id, patch).map(ItemView::of);
    }

    @DELETE
    @Path("{id}")
    @RequiresScope(Scope.WRITE_ITEMS)
    public Uni<Response> delete(@PathParam("id") long id) {
        return service.delete(caller.userId(), id).map(done -> Response.noContent().build());
    }
}
