//! The content page: sections, items (with their version history) and stakeholder groups, and
//! for editors the forms that change them, among them "Paste many items" (one per line). A
//! refused form comes back on the same page with the reason, naming the field, and with what
//! was typed still in it; refused pasted lines list every problem of every line at once.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use std::collections::BTreeSet;

use super::access::{Editor, Key, StudyAccess, StudyForm, Viewer};
use super::{correctable, naming_field, pasted, see_other, Done};
use crate::domain::item_code::next_free_code;
use crate::domain::role::Role;
use crate::i18n;
use crate::service::content::{self, Direction, ItemChange, Listing, NewItemInput};
use crate::service::ServiceError;
use crate::web::auth::problems;
use crate::web::error::{AppError, PageError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Items first: `/content/items` must not be taken for a listing named "items".
    cfg.route("/console/s/{slug}/content", web::get().to(page))
        .route("/console/s/{slug}/content/paste", web::post().to(paste_items))
        .route("/console/s/{slug}/content/items", web::post().to(add_item))
        .route(
            "/console/s/{slug}/content/items/{code}",
            web::post().to(edit_item),
        )
        .route(
            "/console/s/{slug}/content/items/{code}/retire",
            web::post().to(retire_item),
        )
        .route(
            "/console/s/{slug}/content/items/{code}/move",
            web::post().to(move_item),
        )
        .route("/console/s/{slug}/content/{listing}", web::post().to(add))
        .route(
            "/console/s/{slug}/content/{listing}/{key}",
            web::post().to(rename),
        )
        .route(
            "/console/s/{slug}/content/{listing}/{key}/move",
            web::post().to(move_entry),
        );
}

/// `sections` or `groups` in a path.
fn listing(segment: &str) -> Result<Listing, PageError> {
    match segment {
        "sections" => Ok(Listing::Section),
        "groups" => Ok(Listing::Group),
        other => Err(PageError(AppError::not_found(format!(
            "There is no page `{other}` here."
        )))),
    }
}

/// What a POST just did, shown once after the redirect; only these keys are translated.
const NOTICES: &[&str] = &[
    "section-added",
    "section-renamed",
    "moved",
    "group-added",
    "group-renamed",
    "item-added",
    "item-edited",
    "item-versioned",
    "item-retired",
    "item-restored",
    "pasted",
];

/// The id of the pasted lines' text box, which the error summary links to.
const PASTE_FIELD: &str = "paste-lines";

/// A refused form: which one (`add-section`, `section:KEY`, `item:CODE`, `paste` …), why (one
/// reason, or each problem of pasted lines), and what was typed into it.
struct Failed {
    form: String,
    message: Option<String>,
    problems: Vec<String>,
    values: Value,
}

pub async fn page(access: StudyAccess<Viewer>, query: web::Query<Done>) -> Result<HttpResponse, PageError> {
    let notice = query.notice(access.lang(), NOTICES, "console2-content-done-");
    show(&access, StatusCode::OK, notice, None).await
}

async fn show<R>(
    access: &StudyAccess<R>,
    status: StatusCode,
    notice: Option<String>,
    failed: Option<Failed>,
) -> Result<HttpResponse, PageError> {
    let content = access.run(content::content).await?;
    let typed =
        |form: &str| -> Option<&Value> { failed.as_ref().filter(|f| f.form == form).map(|f| &f.values) };
    let value = |form: &str, field: &str, default: &str| -> String {
        typed(form)
            .and_then(|v| v.get(field))
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_string()
    };
    let section_options = |chosen: &str| -> Vec<Value> {
        content
            .sections
            .iter()
            .map(|s| json!({ "key": s.key, "title": s.label, "selected": s.key == chosen }))
            .collect()
    };
    let sections: Vec<Value> = content
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let form = format!("section:{}", s.key);
            json!({
                "key": s.key, "title": s.label, "items": s.count,
                "typed": value(&form, "title", &s.label),
                "first": i == 0, "last": i + 1 == content.sections.len(),
            })
        })
        .collect();
    let groups: Vec<Value> = content
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let form = format!("group:{}", g.key);
            json!({
                "key": g.key, "name": g.label, "experts": g.count, "typed": value(&form, "name", &g.label),
                "first": i == 0, "last": i + 1 == content.groups.len(),
            })
        })
        .collect();
    let items: Vec<Value> = content
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let form = format!("item:{}", item.current.code);
            let chosen = value(&form, "section", &item.current.section);
            json!({
                "code": item.current.code,
                "section": item.current.section,
                "text": item.current.text,
                "description": item.current.description,
                "from_proposals": (!item.from_proposals.is_empty()).then(|| i18n::translate(
                    access.lang(),
                    "ideas-from",
                    &[("codes", item.from_proposals.join(", ").into())],
                )),
                "evidence": item.evidence.iter().map(|(citation, link)| json!({ "citation": citation, "link": link })).collect::<Vec<_>>(),
                "version": item.current.version,
                "retired": item.retired,
                "frozen": item.in_open_round,
                // A refused edit of a frozen item still comes back in its form, as typed.
                "editable": !item.in_open_round || typed(&form).is_some(),
                "versioned_on_edit": item.versioned_on_edit,
                "versions": item.versions,
                "history": item.versions.len() > 1,
                "open": typed(&form).is_some(),
                "typed_text": value(&form, "text", &item.current.text),
                "typed_description": value(&form, "description", item.current.description.as_deref().unwrap_or("")),
                "sections": section_options(&chosen),
                "first": i == 0, "last": i + 1 == content.items.len(),
            })
        })
        .collect();
    let new_item_section = value("add-item", "section", "");
    // With one section there is nothing to choose; otherwise lines that name none are refused
    // until a section is chosen, rather than put silently into the first one.
    let only_section = match content.sections.as_slice() {
        [only] => only.key.as_str(),
        _ => "",
    };
    let paste_section = value("paste", "section", only_section);
    let paste_problems = failed
        .as_ref()
        .filter(|f| f.form == "paste")
        .map(|f| f.problems.clone())
        .unwrap_or_default();
    let mut context = json!({
            "title": access.titled("console2-content-title"),
            "notice": notice,
            "error": failed.as_ref().and_then(|f| f.message.clone()),
            "can_edit": access.role.includes(Role::Editor),
            "open_round": content.open_round,
            "sections": sections,
            "groups": groups,
            "items": items,
            "new_section": { "key": value("add-section", "key", ""), "title": value("add-section", "title", "") },
            "new_group": { "key": value("add-group", "key", ""), "name": value("add-group", "name", "") },
            "new_item": {
                "code": value("add-item", "code", ""),
                "text": value("add-item", "text", ""),
                "description": value("add-item", "description", ""),
                "sections": section_options(&new_item_section),
            },
            "paste": {
                "lines": value("paste", "lines", ""),
                "sections": section_options(&paste_section),
                "choose": only_section.is_empty(),
                "problems": paste_problems,
                "example": paste_example(access.lang(), &content),
            },
    });
    let listed: Vec<(&'static str, String)> = paste_problems_listed(&failed);
    problems::insert(&mut context, problems::context(&listed));
    access.render_status(status, "console/content", context)
}

/// Each problem of refused pasted lines, for the error summary (each links to the text box).
fn paste_problems_listed(failed: &Option<Failed>) -> Vec<(&'static str, String)> {
    failed
        .iter()
        .filter(|f| f.form == "paste")
        .flat_map(|f| f.problems.iter().map(|p| (PASTE_FIELD, p.clone())))
        .collect()
}

/// Example lines under the paste box, with the study's own sections and a code it does not
/// have yet, so that the example can be pasted as it is.
fn paste_example(lang: &str, content: &content::Content) -> String {
    let (first, second) = match content.sections.as_slice() {
        [] => return String::new(),
        [only] => (only.key.as_str(), only.key.as_str()),
        [first, second, ..] => (first.key.as_str(), second.key.as_str()),
    };
    let taken: BTreeSet<String> = content
        .items
        .iter()
        .map(|i| i.current.code.to_lowercase())
        .collect();
    let in_first: Vec<String> = content
        .items
        .iter()
        .filter(|i| i.current.section == first)
        .map(|i| i.current.code.clone())
        .collect();
    let code = next_free_code(first, &in_first, &taken);
    let line = |n: u8| i18n::translate(lang, &format!("paste-items-example-{n}"), &[]);
    format!(
        "{}\n{code} | {first} | {}\n| {second} | {}",
        line(1),
        line(2),
        line(3)
    )
}

/// After a use case: 303 back to the page with a notice, or the page again with the reason and
/// the typed values (failures of ours stay the generic error page).
async fn finish(
    access: &StudyAccess<Editor>,
    result: Result<&str, ServiceError>,
    form: String,
    values: Value,
) -> Result<HttpResponse, PageError> {
    match result {
        Ok(done) => Ok(see_other(&access.page(&format!("content?done={done}")))),
        Err(e) => {
            let refused = correctable(e)?;
            let failed = Failed {
                form,
                message: Some(naming_field(&refused)),
                problems: Vec::new(),
                values,
            };
            show(access, refused.kind.status(), None, Some(failed)).await
        }
    }
}

#[derive(Deserialize)]
pub struct KeyLabelForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    name: String,
}

impl KeyLabelForm {
    /// What was typed as the label: `title` for sections, `name` for groups.
    fn label(&self, listing: Listing) -> &str {
        match listing {
            Listing::Section => &self.title,
            Listing::Group => &self.name,
        }
    }
}

/// Adds a section or a group.
pub async fn add(
    Key(segment): Key,
    StudyForm { access, form }: StudyForm<Editor, KeyLabelForm>,
) -> Result<HttpResponse, PageError> {
    let listing = listing(&segment)?;
    let (key, label) = (form.key.clone(), form.label(listing).to_string());
    let result = access
        .act(move |conn, slug, actor| content::add(conn, slug, listing, &key, &label, actor))
        .await
        .map(|_| match listing {
            Listing::Section => "section-added",
            Listing::Group => "group-added",
        });
    let values = json!({ "key": form.key, listing.label_field(): form.label(listing) });
    let name = format!("add-{}", listing.noun());
    finish(&access, result, name, values).await
}

/// Renames a section or a group.
pub async fn rename(
    path: web::Path<(String, String, String)>,
    StudyForm { access, form }: StudyForm<Editor, KeyLabelForm>,
) -> Result<HttpResponse, PageError> {
    let (_, segment, key) = path.into_inner();
    let listing = listing(&segment)?;
    let (k, label) = (key.clone(), form.label(listing).to_string());
    let result = access
        .act(move |conn, slug, actor| content::rename(conn, slug, listing, &k, &label, actor))
        .await
        .map(|_| match listing {
            Listing::Section => "section-renamed",
            Listing::Group => "group-renamed",
        });
    let values = json!({ listing.label_field(): form.label(listing) });
    let name = format!("{}:{key}", listing.noun());
    finish(&access, result, name, values).await
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    direction: String,
}

/// Moves a section or a group one place up or down.
pub async fn move_entry(
    path: web::Path<(String, String, String)>,
    StudyForm { access, form }: StudyForm<Editor, MoveForm>,
) -> Result<HttpResponse, PageError> {
    let (_, segment, key) = path.into_inner();
    let listing = listing(&segment)?;
    let result = access
        .act(move |conn, slug, actor| {
            let direction = Direction::parse(&form.direction)?;
            content::move_entry(conn, slug, listing, &key, direction, actor)
        })
        .await
        .map(|_| "moved");
    finish(&access, result, String::new(), json!({})).await
}

/// The fields of a new item, as this page's item form and the triage forms (`triage`) post them.
#[derive(Default, Deserialize)]
pub struct NewItemFields {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub text: String,
}

#[derive(Deserialize)]
pub struct ItemForm {
    #[serde(flatten)]
    item: NewItemFields,
    #[serde(default)]
    description: String,
}

pub async fn add_item(
    StudyForm { access, form }: StudyForm<Editor, ItemForm>,
) -> Result<HttpResponse, PageError> {
    let input = NewItemInput {
        code: form.item.code.clone(),
        section: form.item.section.clone(),
        text: form.item.text.clone(),
        description: form.description.clone(),
    };
    let result = access
        .act(move |conn, slug, actor| content::add_item(conn, slug, &input, actor))
        .await
        .map(|_| "item-added");
    let values = json!({ "code": form.item.code, "section": form.item.section, "text": form.item.text, "description": form.description });
    finish(&access, result, "add-item".into(), values).await
}

pub async fn edit_item(
    Key(code): Key,
    StudyForm { access, form }: StudyForm<Editor, ItemForm>,
) -> Result<HttpResponse, PageError> {
    let change = ItemChange {
        text: Some(form.item.text.clone()),
        description: Some(form.description.clone()),
        section: Some(form.item.section.clone()),
        retired: None,
    };
    let c = code.clone();
    let result = access
        .act(move |conn, slug, actor| content::edit_item(conn, slug, &c, &change, actor))
        .await
        .map(|e| {
            if e.new_version {
                "item-versioned"
            } else {
                "item-edited"
            }
        });
    let values =
        json!({ "section": form.item.section, "text": form.item.text, "description": form.description });
    finish(&access, result, format!("item:{code}"), values).await
}

#[derive(Deserialize)]
pub struct RetireForm {
    /// `1` to retire, `0` to bring back.
    #[serde(default)]
    retired: String,
}

pub async fn retire_item(
    Key(code): Key,
    StudyForm { access, form }: StudyForm<Editor, RetireForm>,
) -> Result<HttpResponse, PageError> {
    let retired = form.retired == "1";
    let change = ItemChange {
        retired: Some(retired),
        ..ItemChange::default()
    };
    let result = access
        .act(move |conn, slug, actor| content::edit_item(conn, slug, &code, &change, actor))
        .await
        .map(|_| if retired { "item-retired" } else { "item-restored" });
    finish(&access, result, String::new(), json!({})).await
}

pub async fn move_item(
    Key(code): Key,
    StudyForm { access, form }: StudyForm<Editor, MoveForm>,
) -> Result<HttpResponse, PageError> {
    let result = access
        .act(move |conn, slug, actor| {
            let direction = Direction::parse(&form.direction)?;
            content::move_item(conn, slug, &code, direction, actor)
        })
        .await
        .map(|_| "moved");
    finish(&access, result, String::new(), json!({})).await
}

#[derive(Deserialize)]
pub struct PasteForm {
    #[serde(default)]
    lines: String,
    /// The section of lines that name none.
    #[serde(default)]
    section: String,
}

/// Adds the pasted items, all or none; a refusal lists every problem of every line and keeps
/// the text as it was pasted.
pub async fn paste_items(
    StudyForm { access, form }: StudyForm<Editor, PasteForm>,
) -> Result<HttpResponse, PageError> {
    let (lines, section) = (form.lines.clone(), form.section.clone());
    let result = access
        .act(move |conn, slug, actor| content::paste_items(conn, slug, &lines, &section, actor))
        .await;
    let values = json!({ "lines": form.lines, "section": form.section });
    match result {
        Ok(codes) => Ok(see_other(
            &access.page(&format!("content?n={}&done=pasted", codes.len())),
        )),
        Err(ServiceError::File(errors)) => {
            let failed = Failed {
                form: "paste".into(),
                message: None,
                problems: pasted::line_problems(access.lang(), &errors),
                values,
            };
            show(&access, StatusCode::UNPROCESSABLE_ENTITY, None, Some(failed)).await
        }
        Err(e) => finish(&access, Err(e), "paste".into(), values).await,
    }
}
