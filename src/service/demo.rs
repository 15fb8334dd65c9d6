//! `delphi demo`: the example study (examples/lactation-micronutrients), embedded in the binary
//! so it works from any folder.

use super::files::{study_from_sources, StudyBundle};
use super::studies::{self, Created};
use super::{Actor, ServiceError};
use crate::db::models::studies::StudyRow;
use crate::db::DbConnection;
use crate::domain::file_error::{FileError, FileErrors};

const STUDY: &str = include_str!("../../examples/lactation-micronutrients/study.toml");
const ITEMS: &[u8] = include_bytes!("../../examples/lactation-micronutrients/items.csv");
const PANEL: &[u8] = include_bytes!("../../examples/lactation-micronutrients/panel.csv");

/// The example study as a validated bundle.
pub fn bundle() -> Result<StudyBundle, FileErrors> {
    study_from_sources(
        "examples/lactation-micronutrients/study.toml",
        STUDY,
        &|reference| match reference {
            "items.csv" => Ok((
                "examples/lactation-micronutrients/items.csv".into(),
                ITEMS.to_vec(),
            )),
            "panel.csv" => Ok((
                "examples/lactation-micronutrients/panel.csv".into(),
                PANEL.to_vec(),
            )),
            other => Err(FileErrors(vec![FileError::whole(
                other,
                "not part of the embedded example",
            )])),
        },
    )
}

pub enum DemoOutcome {
    Created(Created),
    AlreadyThere(String),
}

/// Creates the example study unless a study with its slug exists (idempotent).
pub fn load(conn: &mut DbConnection, actor: &Actor) -> Result<DemoOutcome, ServiceError> {
    let bundle = bundle()?;
    if StudyRow::by_slug(conn, &bundle.file.slug)?.is_some() {
        return Ok(DemoOutcome::AlreadyThere(bundle.file.slug));
    }
    match studies::create(conn, &bundle, actor) {
        Ok(created) => Ok(DemoOutcome::Created(created)),
        // Another process created it between our check and our insert: still idempotent.
        Err(ServiceError::Conflict(_)) => Ok(DemoOutcome::AlreadyThere(bundle.file.slug)),
        Err(e) => Err(e),
    }
}
