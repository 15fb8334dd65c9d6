//! JSON Schemas of the API's bodies, written beside the types they describe
//! (`service::api_input`, the study file's raw types, the services' results). Request bodies
//! are described exactly (unknown keys are refused, as the server does); responses name their
//! main fields.

use serde_json::{json, Value};

pub fn slug() -> Value {
    json!({ "type": "string", "pattern": "^[a-z0-9-]{3,64}$" })
}

pub fn round_number() -> Value {
    json!({ "type": "integer", "minimum": 1, "maximum": 1000 })
}

pub fn table_format() -> Value {
    json!({ "type": "string", "enum": ["json", "csv"] })
}

pub fn boolean() -> Value {
    json!({ "type": "boolean" })
}

pub fn export_file() -> Value {
    json!({ "type": "string", "enum": crate::export::files::ExportFile::names() })
}

pub fn text() -> Value {
    json!({ "type": "string" })
}

pub fn binary() -> Value {
    json!({ "type": "string", "format": "binary" })
}

pub fn any_object() -> Value {
    json!({ "type": "object" })
}

fn nullable(schema: Value) -> Value {
    json!({ "oneOf": [schema, { "type": "null" }] })
}

/// A listing's answer: `{ "<name>": [each, …] }`.
fn listing(name: &str, each: Value) -> Value {
    json!({ "type": "object", "properties": { name: { "type": "array", "items": each } } })
}

/// What a request body (or one row of it) may hold: these `properties`, the `required` ones
/// among them, and nothing else (unknown keys are refused, as the server does).
fn exactly(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "additionalProperties": false, "required": required, "properties": properties })
}

/// An object with these `properties`.
fn object(properties: Value) -> Value {
    json!({ "type": "object", "properties": properties })
}

fn strings() -> Value {
    json!({ "type": "string" })
}

pub fn error() -> Value {
    json!({
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": { "type": "string", "description": "A stable code: unauthorized, forbidden, not_found, conflict, invalid, bad_request, too_large, unsupported_media_type, …" },
            "message": { "type": "string" },
            "field": { "type": "string", "description": "The key path that was wrong (`rounds.max`, `items[2].section`; indices count from 1)" }
        }
    })
}

pub fn me() -> Value {
    json!({
        "type": "object",
        "properties": {
            "email": strings(), "name": strings(), "is_admin": { "type": "boolean" },
            "studies": study_list()["properties"]["studies"].clone()
        }
    })
}

pub fn study_list() -> Value {
    let study = object(json!({ "slug": strings(), "title": strings(), "status": strings(), "role": role() }));
    listing("studies", study)
}

pub fn item_input() -> Value {
    let translation = exactly(&["text"], json!({ "text": strings(), "description": strings() }));
    exactly(
        &["code", "section", "text"],
        json!({
            "code": { "type": "string", "description": "1 to 32 letters, digits, `.`, `_` or `-`" },
            "section": { "type": "string", "description": "Key of a section of the study" },
            "text": { "type": "string" },
            "description": { "type": "string", "description": "Markdown" },
            "translations": {
                "type": "object",
                "description": "By language tag (`fr`, `pt-BR`)",
                "additionalProperties": translation
            }
        }),
    )
}

pub fn items_input() -> Value {
    json!({ "type": "array", "items": item_input() })
}

pub fn panel_row() -> Value {
    exactly(
        &["email", "name", "group"],
        json!({
            "email": { "type": "string", "format": "email" },
            "name": strings(),
            "group": { "type": "string", "description": "Key of a group of the study" },
            "country": nullable(strings()),
            "language": nullable(json!({ "type": "string", "description": "Language tag (`en`, `fr`)" }))
        }),
    )
}

pub fn panel_input() -> Value {
    json!({ "type": "array", "items": panel_row() })
}

/// The answers the open round takes: ratings, CHNRI answers in a CHNRI study, or a ranking while
/// a ranking round is open (the rows of the responses file of each kind, as JSON).
pub fn responses_input() -> Value {
    let email = json!({ "type": "string", "format": "email" });
    let code = json!({ "type": "string", "description": "Item code" });
    json!({
        "description": "Which rows the study takes now, as `delphi responses import` decides: a ranking while a \
            ranking round is open, CHNRI answers in a CHNRI study (`method = \"chnri\"`), ratings otherwise. \
            Rows of another kind are refused (422) with a first message naming the keys this study's rows have.",
        "anyOf": [
            {
                "title": "Ratings",
                "type": "array",
                "items": exactly(&["expert", "item"], json!({
                    "expert": email,
                    "item": code,
                    "criterion": { "type": "string", "description": "The criterion's key, in a study with criteria (required there)" },
                    "score": { "oneOf": [
                        { "type": "integer" },
                        { "type": "string", "enum": ["U", "u"] },
                        { "type": "null" }
                    ], "description": "A score on the scale, \"U\" (unable to score), or null (no answer)" },
                    "comment": nullable(strings())
                }))
            },
            {
                "title": "CHNRI answers",
                "type": "array",
                "items": exactly(&["expert", "item", "criterion", "question"], json!({
                    "expert": email,
                    "item": code,
                    "criterion": { "type": "string", "description": "The CHNRI criterion's key" },
                    "question": { "type": "integer", "minimum": 1, "description": "The question's 1-based index within the criterion" },
                    "answer": { "oneOf": [
                        { "type": "string", "enum": ["yes", "undecided", "no", "dont_know"] },
                        { "type": "null" }
                    ], "description": "The answer, or null (no answer: removes an earlier one)" }
                }))
            },
            {
                "title": "Ranking",
                "type": "array",
                "items": exactly(&["expert", "item", "position"], json!({
                    "expert": email,
                    "item": code,
                    "position": { "type": "integer", "minimum": 1, "description": "1 for the expert's first choice; distinct, no gaps, at most `[ranking] choose`" }
                }))
            }
        ]
    })
}

/// The study file (docs/study-file.md) as JSON: the TOML's keys, with `items` and `panel` as
/// arrays instead of file names.
pub fn study_file() -> Value {
    let keyed = |label: &str| {
        let row = exactly(&["key", label], json!({ "key": strings(), label: strings() }));
        json!({ "type": "array", "items": row })
    };
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["slug", "title", "timezone", "scale", "consensus"],
        "properties": {
            "slug": slug(),
            "title": strings(),
            "description": { "type": "string", "description": "Markdown" },
            "language": { "type": "string", "description": "Language tag, default `en`" },
            "languages": { "type": "array", "items": strings(), "description": "Every language the study is offered in, including `language`" },
            "anonymity": { "type": "string", "enum": ["pseudonymous", "named"], "description": "How facilitators see experts; default `pseudonymous`" },
            "timezone": { "type": "string", "description": "IANA time zone, e.g. `Africa/Nairobi`" },
            "items": items_input(),
            "item": items_input(),
            "panel": panel_input(),
            "scale": { "type": "object", "description": "As `[scale]` of the study file: min, max, labels, unable_to_score" },
            "consensus": { "type": "object", "description": "As `[consensus]` of the study file: the rule and its alternatives" },
            "rounds": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "max": { "type": "integer", "minimum": 1 },
                    "carry_forward": { "type": "string" },
                    "invite": { "type": "string" },
                    "suggestions_in": { "type": "array", "items": { "type": "integer" } },
                    "reason_on_band_change": { "type": "boolean" },
                    "min_group_feedback": { "type": "integer", "minimum": 0 },
                    "stop_when_all_resolved": { "type": "boolean" },
                    "reminders": { "type": "array", "items": { "type": "string" }, "description": "Offsets before the deadline, e.g. `3d`, `1d`" },
                    "close_at_deadline": { "type": "boolean" }
                }
            },
            "ranking": {
                "type": "object",
                "additionalProperties": false,
                "description": "As `[ranking]` of the study file: a ranking round's settings",
                "properties": {
                    "choose": { "type": "integer", "minimum": 1 },
                    "combine": { "type": "string", "enum": ["equal_groups", "pooled"] },
                    "sections": { "type": "array", "items": { "type": "string" } }
                }
            },
            "ideas": {
                "type": "object",
                "additionalProperties": false,
                "required": ["prompt"],
                "description": "As `[ideas]` of the study file: an ideas round before round 1",
                "properties": {
                    "prompt": { "type": "string", "description": "What experts are asked; translated by `translations.LANG.ideas_prompt`" },
                    "per_expert": { "type": "integer", "minimum": 1, "maximum": 50, "description": "Proposals per expert and section, default 5" },
                    "sections": { "type": "array", "items": strings(), "description": "Section keys open to ideas; default every section" }
                }
            },
            "group": keyed("name"),
            "section": keyed("title")
        }
    })
}

pub fn created() -> Value {
    object(json!({ "slug": strings(), "items": { "type": "integer" }, "experts": { "type": "integer" } }))
}

fn round_overview() -> Value {
    object(json!({
        "number": { "type": "integer" }, "status": strings(),
        "items": { "type": "integer" }, "invited": { "type": "integer" },
        "opened_at": nullable(strings()), "deadline": nullable(strings()), "closed_at": nullable(strings())
    }))
}

pub fn study() -> Value {
    let keyed = json!({ "type": "array", "items": { "type": "object", "properties": {
        "key": strings(), "name": strings(), "count": { "type": "integer" } } } });
    json!({
        "type": "object",
        "properties": {
            "slug": strings(), "title": strings(), "status": strings(), "language": strings(),
            "timezone": strings(), "scale": strings(), "rule_hash": nullable(strings()),
            "rules": { "type": "array", "items": strings() }, "max_rounds": { "type": "integer" },
            "sections": keyed.clone(), "groups": keyed,
            "rounds": { "type": "array", "items": round_overview() },
            "finish_reason": nullable(strings()),
            "role": { "type": "string", "enum": ["viewer", "editor", "owner"] }
        }
    })
}

pub fn item_list() -> Value {
    let item = object(json!({
        "code": strings(), "section": strings(), "text": strings(), "description": nullable(strings()),
        "translations": { "type": "object" }, "version": { "type": "integer" },
        "origin": strings(), "retired": { "type": "boolean" }
    }));
    listing("items", item)
}

pub fn panel_list() -> Value {
    let expert = object(json!({
        "email": nullable(strings()), "name": strings(), "group": strings(),
        "country": nullable(strings()), "language": nullable(strings()),
        "pseudonym": strings(), "withdrawn": { "type": "boolean" }
    }));
    listing("panel", expert)
}

pub fn import_summary() -> Value {
    json!({ "type": "object", "properties": {
        "added": { "type": "integer" }, "updated": { "type": "integer" }, "unchanged": { "type": "integer" } } })
}

pub fn round_list() -> Value {
    listing("rounds", round_overview())
}

pub fn open_round() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "deadline": { "type": "string", "description": "RFC 3339 (2026-12-01T17:00:00+03:00) or a local date and time in the study's time zone (2026-12-01T17:00), in the future" },
            "kind": { "type": "string", "enum": ["rating", "ranking", "ideas"], "description": "`ranking` opens the study's ranking round (needs `[ranking]`), `ideas` the ideas round (round 0) before round 1 (needs `[ideas]`); left out or `rating`, the next rating round" },
        }
    })
}

pub fn opened() -> Value {
    json!({ "type": "object", "properties": {
        "number": { "type": "integer" }, "kind": strings(), "items": { "type": "integer" }, "carried": { "type": "integer" },
        "new_items": { "type": "integer" }, "invited": { "type": "integer" },
        "emails_queued": { "type": "integer" }, "rule_hash": strings(), "deadline": nullable(strings()) } })
}

pub fn closed() -> Value {
    json!({ "type": "object", "properties": {
        "number": { "type": "integer" }, "items": { "type": "integer" }, "in": { "type": "integer" },
        "out": { "type": "integer" }, "none": { "type": "integer" }, "study_finished": nullable(strings()),
        "proposals": { "type": "integer", "description": "Proposals received, when the ideas round closed" } } })
}

pub fn reminded() -> Value {
    json!({ "type": "object", "properties": { "round": { "type": "integer" }, "reminded": { "type": "integer" } } })
}

pub fn responses_imported() -> Value {
    json!({ "type": "object", "properties": {
        "round": { "type": "integer" }, "saved": { "type": "integer" },
        "cleared": { "type": "integer" }, "experts": { "type": "integer" } } })
}

pub fn results_table() -> Value {
    json!({ "type": "object", "properties": {
        "study": strings(), "scale_min": { "type": "integer" }, "scale_max": { "type": "integer" },
        "alternatives": { "type": "array", "items": strings() }, "rule_hash": nullable(strings()),
        "lines": { "type": "array", "items": { "type": "object", "properties": {
            "round": { "type": "integer" }, "item_code": strings(), "section": strings(),
            "group": strings(), "n": { "type": "integer" }, "median": nullable(json!({ "type": "number" })),
            "status": strings()
        }}}
    }})
}

pub fn stability_table() -> Value {
    json!({ "type": "object", "properties": {
        "study": strings(), "share_ranges": { "type": "array", "items": strings() },
        "lines": { "type": "array", "items": { "type": "object" } } } })
}

pub fn deadline_body() -> Value {
    exactly(
        &["deadline"],
        json!({ "deadline": { "type": "string", "description": "RFC 3339 (2026-12-08T17:00:00+03:00) or a local date and time in the study's time zone (2026-12-08T17:00), later than the current deadline" } }),
    )
}

/// An expert of the panel, by email.
fn panel_email() -> Value {
    json!({ "type": "string", "format": "email", "description": "An expert of the panel" })
}

pub fn email_body() -> Value {
    exactly(&["email"], json!({ "email": panel_email() }))
}

pub fn erase_body() -> Value {
    exactly(
        &["email"],
        json!({
            "email": panel_email(),
            "drop_comments": { "type": "boolean", "default": false, "description": "Also blank their comments and reasons (free text can identify its writer)" }
        }),
    )
}

pub fn email() -> Value {
    json!({ "type": "string", "format": "email" })
}

fn role() -> Value {
    json!({ "type": "string", "enum": ["viewer", "editor", "owner"] })
}

pub fn role_list() -> Value {
    let member = object(json!({
        "email": strings(), "name": strings(), "role": role(),
        "active": { "type": "boolean", "description": "False when the account is disabled" },
        "since": strings()
    }));
    listing("roles", member)
}

pub fn role_body() -> Value {
    exactly(&["role"], json!({ "role": role() }))
}

pub fn role_change() -> Value {
    json!({
        "type": "object",
        "properties": { "email": strings(), "role": role(), "previous": nullable(role()) }
    })
}

pub fn role_removed() -> Value {
    json!({
        "type": "object",
        "properties": { "email": strings(), "removed": role() }
    })
}

pub fn item_code() -> Value {
    json!({ "type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$" })
}

/// `PATCH …/items/{code}`: only the keys given change.
pub fn item_change() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "minProperties": 1,
        "properties": {
            "text": { "type": "string", "minLength": 1 },
            "description": nullable(strings()),
            "section": { "type": "string", "description": "A section key of the study." },
            "retired": { "type": "boolean" }
        },
        "example": { "text": "Haemoglobin concentration (g/L)", "section": "maternal" }
    })
}

pub fn item_edited() -> Value {
    json!({ "type": "object", "properties": {
        "code": strings(), "section": strings(), "text": strings(),
        "description": nullable(strings()), "version": { "type": "integer" },
        "new_version": { "type": "boolean" }, "retired": { "type": "boolean" } } })
}

/// A raw RFC 5322 message as the request body (`POST /api/v1/bounces`).
pub fn raw_message() -> Value {
    json!({
        "type": "string",
        "contentMediaType": "message/rfc822",
        "description": "The whole message as received, headers and body (at most 256 KiB)."
    })
}

pub fn bounce_recorded() -> Value {
    json!({
        "type": "object",
        "properties": {
            "recorded": {
                "type": "object",
                "properties": {
                    "message": { "type": "integer", "description": "The outbox id of the email it answers" },
                    "event": { "type": "string", "enum": ["hard_bounce", "soft_bounce", "auto_reply"] },
                    "status": { "type": ["string", "null"], "description": "Enhanced status code, e.g. 5.1.1" },
                    "detail": strings(),
                    "expert": { "type": ["string", "null"], "description": "The expert's pseudonym" },
                    "undeliverable": { "type": "boolean" },
                    "duplicate": {
                        "type": "boolean",
                        "description": "The same message was handed over before: nothing changed; the other fields are that entry's"
                    }
                }
            }
        }
    })
}
