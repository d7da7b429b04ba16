create table if not exists sample_users (
  id bigint auto_increment primary key,
  name varchar(200) not null,
  email varchar(254) not null unique,
  version bigint not null
) default charset = utf8mb4 collate = utf8mb4_bin;
create table if not exists sample_accounts (
  id bigint auto_increment primary key,
  owner varchar(200) not null,
  balance bigint not null check (balance >= 0)
) default charset = utf8mb4 collate = utf8mb4_bin;
create table if not exists sample_transfers (
  id varchar(64) primary key,
  from_account bigint not null references sample_accounts(id),
  to_account bigint not null references sample_accounts(id),
  amount bigint not null check (amount > 0)
) default charset = utf8mb4 collate = utf8mb4_bin;
