-- Policies are versioned: every change inserts a new row; a sandbox pins (name, version).
create table policies (
    id                        bigserial primary key,
    name                      varchar(63)      not null,
    version                   integer          not null,
    current                   boolean          not null,
    deleted                   boolean          not null default false,
    description               varchar(1000),
    allowed_images            text[]           not null,
    default_ttl_seconds       integer          not null,
    max_ttl_seconds           integer          not null,
    idle_timeout_seconds      integer          not null,
    cpus                      double precision not null,
    memory_mb                 integer          not null,
    pids_limit                integer          not null,
    disk_mb                   integer          not null,
    network                   varchar(16)      not null,
    egress_allowlist          text[]           not null,
    read_only_rootfs          boolean          not null,
    writable_paths            text[]           not null,
    run_as_user               varchar(32)      not null,
    max_exec_seconds          integer          not null,
    max_output_bytes          bigint           not null,
    max_upload_bytes          bigint           not null,
    denied_command_patterns   text[]           not null,
    cpu_budget_seconds        integer,
    max_sandboxes_per_tenant  integer          not null,
    runtime                   varchar(32)      not null,
    created_at                timestamptz      not null,
    created_by                varchar(128)     not null,
    constraint policies_name_version unique (name, version),
    constraint policies_default_ttl check (default_ttl_seconds between 1 and max_ttl_seconds)
);

-- At most one current version per name.
create unique index policies_current_name on policies (name) where current;

-- Safe defaults: no network, read-only rootfs, non-root user, small limits.
insert into policies (name, version, current, description, allowed_images,
                      default_ttl_seconds, max_ttl_seconds, idle_timeout_seconds,
                      cpus, memory_mb, pids_limit, disk_mb, network, egress_allowlist,
                      read_only_rootfs, writable_paths, run_as_user,
                      max_exec_seconds, max_output_bytes, max_upload_bytes,
                      denied_command_patterns, cpu_budget_seconds, max_sandboxes_per_tenant, runtime,
                      created_at, created_by)
values ('default', 1, true, 'Safe defaults: no network, read-only root filesystem, non-root user.',
        array['python:*', 'busybox:*', 'node:*', 'alpine:*', 'debian:*', 'ubuntu:*'],
        900, 3600, 600,
        1.0, 512, 128, 512, 'NONE', array[]::text[],
        true, array['/workspace', '/tmp'], '1000:1000',
        300, 1048576, 67108864,
        array[]::text[], null, 20, 'runc',
        now(), 'system');
