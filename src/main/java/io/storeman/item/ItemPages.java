package io.storeman.item;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.storeman.common.Paging.PageRequest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The hot read path of the API, a page of a space's items, on the reactive SQL client without entities or a
 * session. Pages read recently are kept in memory with the space's {@code items_version}
 * ({@code V7__items_version.sql}: every change to its items bumps it in the same transaction). A request for a kept
 * page costs one primary-key read of the space, which also checks its owner; only when the version moved is the page
 * read again. A page read costs one statement: the ownership check, the version and the page in one round trip.
 */
@ApplicationScoped
public class ItemPages {

    /**
     * No row: the space does not exist or is not the owner's. One row with a null item: an empty space. The page
     * is a range scan of items (space_id, id).
     */
    private static final String PAGE = """
            select s.items_version, i.id, i.name, i.description, i.quantity, i.created_at, i.updated_at
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
    private static final String VERSION = "select items_version from spaces where id = $1 and owner_id = $2";
    /** About 200 bytes a row: at most some 20 MB of pages (docs/performance.md, "The heap budget"). */
    private static final long MAX_KEPT_ROWS = 100_000;

    private record Key(long spaceId, long afterId, int fetchSize) {
    }

    private record Kept(long version, ItemPage page) {
    }

    /**
     * A page as fetched (one row more than the limit when more follow) and its first {@code limit} rows as the JSON
     * array the API answers, rendered once for as long as the page is kept.
     */
    public record ItemPage(List<ItemView> rows, String json) {
    }

    private final Pool pool;
    private final Cache<Key, Kept> kept = Caffeine.newBuilder()
            .maximumWeight(MAX_KEPT_ROWS)
            .weigher((Key key, Kept kept) -> kept.page().rows().size() + 1)
            .build();

    ItemPages(Pool pool) {
        this.pool = pool;
    }

    /** The page (with one row more than the limit when more follow), or null when the space is not the owner's. */
    public Uni<ItemPage> page(long ownerId, long spaceId, PageRequest request) {
        Key key = new Key(spaceId, request.afterId(), request.fetchSize());
        Kept known = kept.getIfPresent(key);
        if (known == null) {
            return read(ownerId, key);
        }
        return pool.preparedQuery(VERSION).execute(Tuple.of(spaceId, ownerId)).chain(rows -> {
            RowIterator<Row> found = rows.iterator();
            if (!found.hasNext()) {
                return Uni.createFrom().nullItem();
            }
            return found.next().getLong("items_version") == known.version()
                    ? Uni.createFrom().item(known.page())
                    : read(ownerId, key);
        });
    }

    private Uni<ItemPage> read(long ownerId, Key key) {
        return pool.preparedQuery(PAGE)
                .execute(Tuple.of(key.spaceId(), ownerId, key.afterId(), key.fetchSize()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    List<ItemView> views = views(key.spaceId(), rows);
                    int limit = Math.min(views.size(), key.fetchSize() - 1);
                    ItemPage page = new ItemPage(views, ItemJson.array(views.subList(0, limit)));
                    kept.put(key, new Kept(rows.iterator().next().getLong("items_version"), page));
                    return page;
                });
    }

    private static List<ItemView> views(long spaceId, RowSet<Row> rows) {
        List<ItemView> views = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Long id = row.getLong("id");
            if (id != null) {
                views.add(new ItemView(id, spaceId, row.getString("name"), row.getString("description"),
                        row.getInteger("quantity"), row.getOffsetDateTime("created_at").toInstant(),
                        row.getOffsetDateTime("updated_at").toInstant()));
            }
        }
        return List.copyOf(views);
    }
}
