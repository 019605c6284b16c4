-- The audit log: append-only and hash-chained. hash = sha256(prev_hash || canonical JSON of the event).
create table audit_events (
    seq         bigint       primary key,
    at          timestamptz  not null,
    tenant      varchar(63),
    actor       varchar(128) not null,
    type        varchar(32)  not null,
    sandbox_id  varchar(40),
    data        text         not null,  -- canonical JSON, kept byte for byte as hashed
    prev_hash   char(64)     not null,
    hash        char(64)     not null
);

create index audit_events_tenant on audit_events (tenant, seq);
create index audit_events_sandbox on audit_events (sandbox_id, seq) where sandbox_id is not null;
create index audit_events_type on audit_events (type, seq);
create index audit_events_at on audit_events (at);

-- Append-only in the database itself: no row is ever changed or removed, whoever asks.
create function audit_events_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_events is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_events_no_update before update or delete on audit_events
    for each row execute function audit_events_append_only();
create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_append_only();

revoke update, delete, truncate on audit_events from public;
