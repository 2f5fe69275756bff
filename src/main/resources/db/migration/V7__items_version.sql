-- Every change to a space's items bumps the space's items_version in the same transaction, so an instance that
-- keeps a page of items in memory knows it is still right with one primary-key read: same version, same items.
-- Statement triggers with transition tables: one bump per space per statement, however many rows it touches.
alter table spaces add column items_version bigint not null default 0;

create function bump_items_version() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        update spaces set items_version = items_version + 1 where id in (select space_id from new_items);
    elsif tg_op = 'DELETE' then
        update spaces set items_version = items_version + 1 where id in (select space_id from old_items);
    else
        update spaces set items_version = items_version + 1
        where id in (select space_id from old_items union select space_id from new_items);
    end if;
    return null;
end;
$$;
create trigger items_inserted after insert on items referencing new table as new_items
    for each statement execute function bump_items_version();
create trigger items_updated after update on items referencing old table as old_items new table as new_items
    for each statement execute function bump_items_version();
create trigger items_deleted after delete on items referencing old table as old_items
    for each statement execute function bump_items_version();
