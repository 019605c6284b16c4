-- API keys: only a SHA-256 of the secret is stored; the secret is shown once, at creation.
create table api_keys (
    id            varchar(40)  primary key,
    tenant        varchar(63)  not null,
    role          varchar(16)  not null,
    name          varchar(128) not null,
    secret_hash   bytea        not null,
    created_at    timestamptz  not null,
    created_by    varchar(128) not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    revoked_by    varchar(128),
    constraint api_keys_role check (role in ('ADMIN', 'OPERATOR', 'AGENT', 'METRICS')),
    constraint api_keys_secret unique (secret_hash)
);

create index api_keys_tenant on api_keys (tenant, created_at desc);

-- Quota checks count a tenant's live sandboxes under a policy.
create index sandboxes_tenant_policy_live on sandboxes (tenant, policy_name)
    where status in ('CREATING', 'RUNNING', 'STOPPING');
