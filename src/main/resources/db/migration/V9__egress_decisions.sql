-- The gateway's decisions, counted per sandbox, minute, destination, port and decision: each replica adds its counts
-- every second (an upsert). A row is audited once its minute has closed, or when its sandbox ends; audited_count is
-- the part of count already in the audit log, so counts a late replica adds after that are audited too, and never
-- twice. Rows stay after their sandbox has ended, like the sandbox's own row.
create table egress_decisions (
    sandbox_id     varchar(40)   not null,
    minute         timestamptz   not null,
    destination    varchar(255)  not null,
    port           integer       not null check (port between 0 and 65535),
    decision       varchar(8)    not null check (decision in ('ALLOWED', 'DENIED')),
    count          bigint        not null check (count > 0),
    audited_count  bigint        not null default 0,
    primary key (sandbox_id, minute, destination, port, decision)
);
create index egress_decisions_unaudited on egress_decisions (minute) where count > audited_count;
