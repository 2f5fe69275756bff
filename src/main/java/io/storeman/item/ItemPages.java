package io.storeman.item;

import io.smallrye.mutiny.Uni;
import io.storeman.common.Paging.PageRequest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The hot read path of the API, a page of a space's items, as one prepared statement on the reactive SQL client:
 * the ownership check and the page come in one round trip, and rows become views without entities or a session.
 * Through Hibernate Reactive the same page cost two round trips and several times the CPU (see bench/api.sh).
 */
@ApplicationScoped
public class ItemPages {

    /**
     * No row: the space does not exist or is not the owner's. One row with a null item: an empty space. The page
     * is a range scan of items (space_id, id).
     */
    private static final String PAGE = """
            select i.id, i.name, i.description, i.quantity, i.created_at, i.updated_at
            from spaces s
            left join lateral (
                select id, name, description, quantity, created_at, updated_at from items
                where space_id = s.id and id > $3
                order by id
                limit $4
            ) i on true
            where s.id = $1 and s.owner_id = $2
            order by i.id
            """;

    private final Pool pool;

    ItemPages(Pool pool) {
        this.pool = pool;
    }

    /** The page (with one row more than the limit when more follow), or null when the space is not the owner's. */
    public Uni<List<ItemView>> page(long ownerId, long spaceId, PageRequest request) {
        return pool.preparedQuery(PAGE)
                .execute(Tuple.of(spaceId, ownerId, request.afterId(), request.fetchSize()))
                .map(rows -> views(spaceId, rows));
    }

    private static List<ItemView> views(long spaceId, RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        List<ItemView> views = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Long id = row.getLong("id");
            if (id != null) {
                views.add(new ItemView(id, spaceId, row.getString("name"), row.getString("description"),
                        row.getInteger("quantity"), row.getOffsetDateTime("created_at").toInstant(),
                        row.getOffsetDateTime("updated_at").toInstant()));
            }
        }
        return views;
    }
}
