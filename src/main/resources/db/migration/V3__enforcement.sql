-- While a sandbox is STOPPING, the terminal status it is heading for; whoever finishes the ending (the claimer,
-- or the reconciler after a crash) applies it.
alter table sandboxes add column ending_status varchar(16);
alter table sandboxes add constraint sandboxes_ending_status check (ending_status is null or ending_status in
    ('TERMINATED', 'EXPIRED', 'KILLED', 'FAILED', 'LOST'));

-- Whether an exec matching deniedCommandPatterns also kills its sandbox (it is always refused).
alter table policies add column kill_on_denied_command boolean not null default false;

-- The fail-safe: an active halt refuses creates for its tenant (or everyone, tenant null) until lifted.
create table halts (
    id          bigserial    primary key,
    tenant      varchar(63),
    reason      varchar(1000) not null,
    created_at  timestamptz  not null,
    created_by  varchar(128) not null
);
create unique index halts_tenant on halts (coalesce(tenant, ''));

-- ShedLock: one replica runs each periodic sweep.
create table shedlock (
    name       varchar(64)  primary key,
    lock_until timestamptz  not null,
    locked_at  timestamptz  not null,
    locked_by  varchar(255) not null
);

-- The pinned policy's idle timeout, kept on the row so the expiry sweep reads one table.
alter table sandboxes add column idle_timeout_seconds integer;
update sandboxes s set idle_timeout_seconds = p.idle_timeout_seconds
from policies p where p.name = s.policy_name and p.version = s.policy_version;
alter table sandboxes alter column idle_timeout_seconds set not null;

create index sandboxes_running_expiry on sandboxes (expires_at) where status = 'RUNNING';
