-- When the service connects as a role of its own (not the one running these migrations), that role gets what it
-- needs and no more: on the audit log only SELECT and INSERT; on the migrations' history only SELECT. With one
-- role for both (a laptop, compose) this does nothing; the triggers of V5 hold either way.
do $$
begin
    if '${appRole}' <> current_user and exists (select 1 from pg_roles where rolname = '${appRole}') then
        execute format('grant usage on schema public to %I', '${appRole}');
        execute format('grant select, insert, update, delete on all tables in schema public to %I', '${appRole}');
        execute format('grant usage, select on all sequences in schema public to %I', '${appRole}');
        execute format('revoke insert, update, delete, truncate on flyway_schema_history from %I', '${appRole}');
        execute format('revoke update, delete, truncate on audit_events from %I', '${appRole}');
        -- tables of later migrations: the same, by default
        execute format('alter default privileges in schema public grant select, insert, update, delete on tables to %I', '${appRole}');
        execute format('alter default privileges in schema public grant usage, select on sequences to %I', '${appRole}');
    end if;
end
$$;
