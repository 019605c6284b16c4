-- A tenant's own limits; a tenant without a row has the configured defaults (airlock.tenants.*).
create table tenant_quotas (
    tenant                  varchar(63)  primary key,
    max_sandboxes           integer      not null check (max_sandboxes > 0),
    max_concurrent_uploads  integer      not null check (max_concurrent_uploads > 0),
    updated_at              timestamptz  not null,
    updated_by              varchar(128) not null
);

-- One row per upload in flight, so the cap holds across replicas. The replica that holds it renews it while the
-- upload runs; a row left behind by a replica that died stops counting once it is older than the lease.
create table upload_leases (
    id          varchar(40)  primary key,
    tenant      varchar(63)  not null,
    renewed_at  timestamptz  not null
);
create index upload_leases_tenant on upload_leases (tenant);

-- The tenants allowed to create sandboxes under a policy version; empty: every tenant.
alter table policies add column tenants text[] not null default '{}';
