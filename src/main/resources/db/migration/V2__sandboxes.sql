-- A sandbox row is written before any container exists (CREATING) and kept after it is gone (terminal).
-- Environment values are never stored.
create table sandboxes (
    id                varchar(40)      primary key,
    tenant            varchar(63)      not null,
    status            varchar(16)      not null,
    image             varchar(255)     not null,
    policy_name       varchar(63)      not null,
    policy_version    integer          not null,
    cpus              double precision not null,
    memory_mb         integer          not null,
    command           text[],
    workdir           varchar(1024),
    ttl_seconds       integer          not null,
    container_id      varchar(80),
    created_by        varchar(128)     not null,
    created_at        timestamptz      not null,
    started_at        timestamptz,
    expires_at        timestamptz      not null,
    last_activity_at  timestamptz,
    ended_at          timestamptz,
    end_reason        varchar(64),
    end_detail        varchar(2000),
    constraint sandboxes_policy foreign key (policy_name, policy_version) references policies (name, version),
    constraint sandboxes_status check (status in
        ('CREATING', 'RUNNING', 'STOPPING', 'TERMINATED', 'EXPIRED', 'KILLED', 'FAILED', 'LOST'))
);

create index sandboxes_tenant_created on sandboxes (tenant, created_at desc);
create index sandboxes_live on sandboxes (status) where status in ('CREATING', 'RUNNING', 'STOPPING');

create table sandbox_labels (
    sandbox_id   varchar(40)  not null references sandboxes (id) on delete cascade,
    label_key    varchar(63)  not null,
    label_value  varchar(255) not null,
    primary key (sandbox_id, label_key)
);

create index sandbox_labels_pair on sandbox_labels (label_key, label_value);
