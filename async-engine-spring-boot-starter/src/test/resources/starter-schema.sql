create table if not exists starter_init (id integer primary key, name varchar(50) not null);
delete from starter_init;
insert into starter_init (id, name) values (1, 'from schema.sql');
