//! The whole study as one JSON document (`--format json`): the definition as locked, its
//! structure, rounds, results, the final list and the pseudonymised answers; a CHNRI study's
//! scores and answers, a ranking round's results and the ideas round's proposals when the
//! study has them.

use serde_json::{json, Map, Value};

use crate::export::{ideas_csv, ExportError};
use crate::service::chnri::{ChnriLine, ChnriTable};
use crate::service::export::{IdeasExport, StudyExport};

/// Names the shape of the document, for scripts that check what they read.
pub const FORMAT: &str = "delphi.study-export.v1";

pub fn document(data: &StudyExport) -> Value {
    let study = &data.study;
    let mut document = json!({
        "format": FORMAT,
        "generated_at": data.generated_at.and_utc().to_rfc3339(),
        "identified": data.identified,
        "study": {
            "slug": study.slug,
            "title": study.title,
            "description": study.description,
            "language": study.language,
            "timezone": study.timezone,
            "status": study.status,
            "finish_reason": study.finish_reason,
            "rule_hash": study.rule_hash,
            "rule_locked_at": study.rule_locked_at.map(|t| t.and_utc().to_rfc3339()),
            "definition": data.study.file,
            "rules": data.study.rules.rules().map(|(name, rule)| json!({
                "name": name,
                "description": rule.describe(),
                "rule": rule,
            })).collect::<Vec<_>>(),
        },
        "groups": data.groups.iter().map(|g| json!({ "key": g.key, "name": g.name })).collect::<Vec<_>>(),
        "sections": data.sections.iter().map(|s| json!({ "key": s.key, "title": s.title })).collect::<Vec<_>>(),
        "items": data.items.iter().map(|i| json!({
            "code": i.code,
            "section": i.section,
            "text": i.text,
            "description": i.description,
            "origin": i.origin,
            "version": i.version,
            "retired": i.retired,
        })).collect::<Vec<_>>(),
        "rounds": data.rounds,
        "alternatives": data.results.alternatives,
        "results": data.results.lines,
        "results_by_group": data.results_by_group.lines,
        "stability": data.stability.lines,
        "consensus": data.consensus,
        "participants": data.participants,
        "ratings": data.ratings,
    });
    // Only a study that ran a ranking round has these keys: other documents do not change.
    if !data.rankings.is_empty() {
        if let Some(object) = document.as_object_mut() {
            object.insert("rankings".into(), json!(data.rankings));
            object.insert("ranking_answers".into(), json!(data.ranking_answers));
        }
    }
    // Likewise a CHNRI study's scores and a study with an ideas round: new keys, never a
    // change to the keys every document has.
    if let Some(object) = document.as_object_mut() {
        if let Some(chnri) = &data.chnri {
            object.insert("chnri_results".into(), chnri_lines(&chnri.results, false));
            object.insert(
                "chnri_results_by_group".into(),
                chnri_lines(&chnri.results_by_group, true),
            );
            object.insert("chnri_answers".into(), json!(chnri.answers));
        }
        if let Some(ideas) = &data.ideas {
            object.insert("ideas".into(), proposals(ideas));
            object.insert("ideas_flow".into(), flow(ideas));
        }
    }
    document
}

/// The rows of a CHNRI study's results.csv (or results_by_group.csv) with its column names, so
/// that a script reads `cs_equity` or `wrps` by the same name in either file; `below` is a
/// list of criterion keys rather than one `;`-separated text.
fn chnri_lines(table: &ChnriTable, by_group: bool) -> Value {
    let line = |l: &ChnriLine| {
        let mut row = Map::new();
        row.insert("round".into(), json!(l.round));
        if by_group {
            row.insert("group".into(), json!(l.group));
        }
        row.insert("item_code".into(), json!(l.item_code));
        row.insert("section".into(), json!(l.section));
        row.insert("item_text".into(), json!(l.item_text));
        row.insert("invited".into(), json!(l.invited));
        row.insert("n".into(), json!(l.n));
        for (key, score) in table.criteria.iter().zip(&l.cs) {
            row.insert(format!("cs_{key}"), json!(score));
        }
        row.insert("rps".into(), json!(l.rps));
        row.insert("wrps".into(), json!(l.wrps));
        row.insert("aea".into(), json!(l.aea));
        row.insert("rank".into(), json!(l.rank));
        row.insert("below".into(), json!(l.below));
        Value::Object(row)
    };
    Value::Array(table.lines.iter().map(line).collect())
}

/// The rows of ideas.csv, `null` for its empty cells (a pending proposal's `outcome` too).
fn proposals(ideas: &IdeasExport) -> Value {
    Value::Array(
        ideas
            .proposals
            .iter()
            .map(|p| {
                let outcome = p.outcome.label();
                json!({
                    "proposal": p.code,
                    "expert": p.expert,
                    "section": p.section,
                    "text": p.text,
                    "rationale": p.rationale,
                    "outcome": (!outcome.is_empty()).then_some(outcome),
                    "item_code": p.item,
                    "source": ideas_csv::source(p),
                })
            })
            .collect(),
    )
}

/// The counts of the report's ideas flow, the reasons for setting aside keyed by name.
fn flow(ideas: &IdeasExport) -> Value {
    let flow = &ideas.flow;
    let set_aside: Map<String, Value> = flow
        .set_aside
        .iter()
        .map(|(reason, count)| (reason.as_str().to_owned(), json!(count)))
        .collect();
    json!({
        "received": flow.received,
        "merged": flow.merged,
        "items": flow.items,
        "set_aside": set_aside,
        "pending": flow.pending,
        "rated": flow.rated,
        "in_consensus": flow.in_consensus,
    })
}

pub fn write(data: &StudyExport) -> Result<Vec<u8>, ExportError> {
    let mut bytes =
        serde_json::to_vec_pretty(&document(data)).map_err(|e| ExportError::Json(e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}
