-- Warm pools: each keeps `size` started, unclaimed members of one policy and image. A member is not a sandbox until
-- it is claimed (so quotas, listings, gauges, expiry and the watchdog never see it); its id is the sandbox id it
-- will have; its container is created after its row and removed after its row is deleted. last_error is the pool's latest refill failure (null once a refill succeeds); claimed counts hits.
create table pools (
    name           varchar(63)   primary key,
    policy         varchar(63)   not null,
    image          varchar(255)  not null,
    size           integer       not null check (size >= 0),
    created_at     timestamptz   not null,
    created_by     varchar(128)  not null,
    updated_at     timestamptz   not null,
    last_error     varchar(1000),
    last_error_at  timestamptz,
    claimed        bigint        not null default 0
);

create table pool_members (
    id              varchar(40)   primary key,
    pool            varchar(63)   not null references pools (name) on delete cascade,
    policy_name     varchar(63)   not null,
    policy_version  integer       not null,
    image           varchar(255)  not null,
    state           varchar(8)    not null check (state in ('STARTING', 'READY')),
    container_id    varchar(128),
    engine_id       varchar(128)  not null,
    deployment      varchar(63)   not null,
    created_at      timestamptz   not null,
    ready_at        timestamptz
);
-- a member is its deployment's, on its engine: only that deployment sees its container (by label) and may claim it
create index pool_members_claimable on pool_members (engine_id, deployment, policy_name, policy_version, image, ready_at)
    where state = 'READY';

-- How a sandbox came to be: COLD (its own container, started by its create) or POOL (a claimed member).
alter table sandboxes add column source varchar(8) not null default 'COLD' check (source in ('COLD', 'POOL'));
