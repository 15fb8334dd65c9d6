-- Per-study wording of an email in one language, replacing the built-in template.
CREATE TABLE email_templates (
    id         INTEGER PRIMARY KEY NOT NULL,
    study_id   BIGINT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    language   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body_text  TEXT NOT NULL,
    body_html  TEXT,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (study_id, name, language)
);
