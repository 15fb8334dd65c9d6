//! The whole study as one JSON document (`--format json`): the definition as locked, its
//! structure, rounds, results, the final list and the pseudonymised answers.

use serde_json::{json, Value};

use crate::export::ExportError;
use crate::service::export::StudyExport;

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
    document
}

pub fn write(data: &StudyExport) -> Result<Vec<u8>, ExportError> {
    let mut bytes =
        serde_json::to_vec_pretty(&document(data)).map_err(|e| ExportError::Json(e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}
