ALTER TABLE api_tokens DROP COLUMN scope;
DROP TABLE undeliverable;
DROP TABLE deliveries;
