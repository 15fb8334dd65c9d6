DROP TABLE rankings;
