-- This database's deployment: the id every container and volume it makes is labelled with (airlock.deployment),
-- unless configuration names one (airlock.deployment.id). One row, made here, so the id is stable across restarts
-- and replicas of one deployment, and differs between deployments that share an engine but not a database.
create table deployment (
    singleton   boolean      primary key default true check (singleton),
    id          varchar(63)  not null,
    created_at  timestamptz  not null default now()
);
insert into deployment (id) values (replace(cast(gen_random_uuid() as text), '-', ''));

-- The engine a sandbox runs on (the Docker engine's ID from /info, stable across its restarts): a replica acts
-- only on the sandboxes of the engine it talks to. Null on rows from before: they belong to the engine that has
-- their container.
alter table sandboxes add column engine_id varchar(128);
create index sandboxes_live_engine on sandboxes (engine_id) where status in ('CREATING', 'RUNNING', 'STOPPING');
