//! The figure for a paper: one diverging stacked bar per item of a closed round, for the whole
//! panel or one stakeholder group, shown with its text equivalent and downloadable as SVG (the
//! PNG is drawn from the inline SVG in the browser by `static/js/figure.js`, which needs no font
//! stack on the server). Anyone who may read the study's results may see it.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::access::{StudyAccess, Viewer};
use super::refused_page;
use crate::domain::round::GroupFigures;
use crate::domain::rule::{band_thresholds, BandThreshold};
use crate::domain::study::Study;
use crate::export::diverging_svg::{self, Answers, Figure, Line, Row, Segment, Shares, Sides, Words};
use crate::i18n;
use crate::service::figure::{self as data, FigureData};
use crate::web::error::PageError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/figure", web::get().to(page))
        .route("/console/s/{slug}/figure.svg", web::get().to(download));
}

/// `?round=N&group=KEY`; empty values mean the defaults (the latest closed round, every
/// expert), as the page's form sends them.
#[derive(Deserialize)]
pub struct FigureQuery {
    round: Option<String>,
    group: Option<String>,
}

impl FigureQuery {
    /// The round asked for, or the text that is not a round number.
    fn round(&self) -> Result<Option<i32>, String> {
        match self.round.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => text
                .parse::<i32>()
                .ok()
                .filter(|n| *n > 0)
                .map(Some)
                .ok_or_else(|| text.to_string()),
        }
    }

    fn group(&self) -> Option<String> {
        self.group
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_string)
    }
}

/// The figure's data for the query, with the figure of its round when one has closed, or the
/// page that refuses the query.
async fn load(
    access: &StudyAccess<Viewer>,
    query: &FigureQuery,
) -> Result<(FigureData, Option<Ready>), Result<HttpResponse, PageError>> {
    let back = access.page("figure");
    let round = match query.round() {
        Ok(round) => round,
        Err(value) => {
            let lang = access.lang();
            return Err(refused_page(
                &access.facilitator,
                StatusCode::BAD_REQUEST,
                &i18n::translate(lang, "figure-bad-round", &[("value", value.into())]),
                &back,
            ));
        }
    };
    let group = query.group();
    match access
        .run(move |conn, slug| data::figure(conn, slug, round, group.as_deref()))
        .await
    {
        Ok(found) => {
            let ready = Ready::of(access, &found);
            Ok((found, ready))
        }
        Err(e) => Err(access.refuse(e, &back)),
    }
}

/// A closed round's figure, ready to show or download: its round, what it is drawn from and
/// its file name.
struct Ready {
    round: i32,
    drawn: Drawn,
    name: String,
}

impl Ready {
    /// The figure of `found`'s round; None before any round has closed.
    fn of(access: &StudyAccess<Viewer>, found: &FigureData) -> Option<Ready> {
        let round = found.round?;
        Some(Ready {
            round,
            drawn: Drawn::new(&access.study, found, round, access.lang()),
            name: file_name(access.slug(), round, found.group.as_ref().map(|g| g.key.as_str())),
        })
    }
}

/// The figure's page: the choice of round and group, the figure, its downloads and its table.
pub async fn page(
    access: StudyAccess<Viewer>,
    query: web::Query<FigureQuery>,
) -> Result<HttpResponse, PageError> {
    let (found, ready) = match load(&access, &query).await {
        Ok(loaded) => loaded,
        Err(refused) => return refused,
    };
    let lang = access.lang();
    let title = access.titled("figure-title");
    let Some(Ready { round, drawn, name }) = ready else {
        return access.render("console/figure", json!({ "title": title, "empty": true }));
    };
    let inline = diverging_svg::figure(&drawn.figure(), false);
    let query = match &found.group {
        Some(g) => format!("?round={round}&group={}", g.key),
        None => format!("?round={round}"),
    };
    let rounds: Vec<Value> = found
        .closed_rounds
        .iter()
        .map(|&n| {
            json!({
                "number": n,
                "label": i18n::translate(lang, "figure-round-n", &[("n", n.into())]),
                "selected": n == round,
            })
        })
        .collect();
    let (groups, hidden) = group_choices(&found, lang);
    let table: Vec<Value> = drawn
        .table()
        .iter()
        .map(|row| {
            json!({
                "code": row.code,
                "text": row.text,
                "n": row.n,
                "shares": row.rounded.iter().map(|p| format!("{p}{}", drawn.words.percent)).collect::<Vec<_>>(),
                "note": if row.withheld { &drawn.words.withheld } else { &drawn.words.no_answers },
                "span": drawn.segments.len(),
            })
        })
        .collect();
    access.render(
        "console/figure",
        json!({
            "title": title,
            "empty": false,
            "rounds": rounds,
            "groups": groups,
            "hidden_groups": hidden,
            "svg": inline,
            "caption": drawn.words.notes.join(" "),
            "figure_title": drawn.words.title,
            "segments": drawn.segments.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
            "table": table,
            "svg_href": format!("{}{query}", access.page("figure.svg")),
            "png_name": format!("{name}.png"),
        }),
    )
}

/// The groups the form offers (enough responders), and the others named with why they are not.
fn group_choices(found: &FigureData, lang: &str) -> (Vec<Value>, String) {
    let chosen = found.group.as_ref().map(|g| g.key.as_str());
    let offered = found
        .groups
        .iter()
        .filter(|g| g.figures == GroupFigures::Shown)
        .map(|g| json!({ "key": g.key, "name": g.name, "selected": Some(g.key.as_str()) == chosen }))
        .collect();
    let hidden: Vec<String> = found
        .groups
        .iter()
        .filter_map(|g| match g.figures {
            GroupFigures::Shown => None,
            GroupFigures::Hidden => Some(i18n::translate(
                lang,
                "figure-group-too-small",
                &[
                    ("name", g.name.clone().into()),
                    ("n", g.responders.into()),
                    ("min", found.min_group_feedback.into()),
                ],
            )),
            GroupFigures::Empty => Some(i18n::translate(
                lang,
                "figure-group-empty",
                &[("name", g.name.clone().into())],
            )),
        })
        .collect();
    (offered, hidden.join("; "))
}

/// The figure as an SVG file, for a manuscript.
pub async fn download(
    access: StudyAccess<Viewer>,
    query: web::Query<FigureQuery>,
) -> Result<HttpResponse, PageError> {
    let ready = match load(&access, &query).await {
        Ok((_, ready)) => ready,
        Err(refused) => return refused,
    };
    let Some(Ready { drawn, name, .. }) = ready else {
        return access.refuse(
            crate::service::ServiceError::NotFound(i18n::translate(access.lang(), "figure-empty", &[])),
            &access.url(),
        );
    };
    let svg = diverging_svg::figure(&drawn.figure(), true);
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.svg\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n")))
}

/// `<slug>-round-N[-group]`, without extension. Slugs and group keys are already safe in a
/// file name and a header (`[a-z0-9_-]`); anything else is dropped all the same.
fn file_name(slug: &str, round: i32, group: Option<&str>) -> String {
    let safe = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    };
    match group {
        Some(key) => format!("{}-round-{round}-{}", safe(slug), safe(key)),
        None => format!("{}-round-{round}", safe(slug)),
    }
}

/// Everything a figure of one round is drawn from, in the reader's language.
struct Drawn {
    min: i32,
    segments: Vec<Segment>,
    rows: Vec<Row>,
    in_line: Option<Line>,
    out_line: Option<Line>,
    words: Words,
}

impl Drawn {
    fn new(study: &Study, found: &FigureData, round: i32, lang: &str) -> Drawn {
        let t = |key: &str, args: &[(&str, fluent_bundle::FluentValue<'_>)]| i18n::translate(lang, key, args);
        let segments = diverging_svg::segments(&study.scale);
        let percent = t("figure-percent", &[]);
        let thresholds = band_thresholds(&study.rules.primary, &study.scale);
        let band_name = |b: &BandThreshold| {
            study
                .scale
                .bands()
                .get(b.band)
                .map(|band| band.name.clone())
                .unwrap_or_default()
        };
        let share = |b: &BandThreshold| {
            let value = b.percent;
            let number = if value.fract() == 0.0 {
                format!("{value:.0}")
            } else {
                value.to_string()
            };
            format!("{} {number}{percent}", b.op.symbol())
        };
        let line = |b: &BandThreshold, key: &str| {
            let label = t(key, &[("share", share(b).into()), ("band", band_name(b).into())]);
            Line::of(b, &segments, label)
        };
        let in_line = thresholds.in_.as_ref().and_then(|b| line(b, "figure-line-in"));
        let out_line = thresholds.out.as_ref().and_then(|b| line(b, "figure-line-out"));

        let unable: i64 = found.items.iter().map(|i| i64::from(i.unable)).sum();
        let mut notes = vec![t("figure-note-unable", &[("unable", unable.into())])];
        if in_line.is_some() || out_line.is_some() {
            let labels: Vec<&str> = [&in_line, &out_line]
                .into_iter()
                .flatten()
                .map(|l| l.label.as_str())
                .collect();
            notes.push(t("figure-note-lines", &[("lines", labels.join("; ").into())]));
        } else if thresholds.unable_counted {
            notes.push(t("figure-note-no-line-unable", &[]));
        } else {
            notes.push(t("figure-note-no-line", &[]));
        }
        let marked: Vec<usize> = [&in_line, &out_line]
            .into_iter()
            .flatten()
            .map(|l| l.segment)
            .collect();
        let sides = Sides::of(segments.len(), &marked);
        let names = |indices: &[usize]| -> String {
            indices
                .iter()
                .filter_map(|&i| segments.get(i))
                .map(|s| t("figure-quoted", &[("name", s.name.clone().into())]))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !sides.aside.is_empty() {
            notes.push(t("figure-note-aside", &[("bands", names(&sides.aside).into())]));
        }
        notes.push(match &in_line {
            Some(l) => t("figure-note-order-band", &[("bands", names(&[l.segment]).into())]),
            None => t("figure-note-order-band", &[("bands", names(&sides.right).into())]),
        });
        if let Some(group) = &found.group {
            notes.push(t(
                "figure-note-group",
                &[
                    ("group", group.name.clone().into()),
                    ("n", group.responders.into()),
                ],
            ));
        }
        let who = match &found.group {
            Some(group) => group.name.clone(),
            None => t("figure-all-experts", &[]),
        };
        let words = Words {
            title: t(
                "figure-svg-title",
                &[
                    ("study", study.title.clone().into()),
                    ("round", round.into()),
                    ("who", who.into()),
                ],
            ),
            notes,
            no_answers: t("figure-no-answers", &[]),
            withheld: t("figure-withheld", &[]),
            middle: t("figure-middle", &[]),
            percent,
        };
        let rows = found
            .items
            .iter()
            .map(|item| Row {
                code: item.code.clone(),
                text: item.text.clone(),
                answers: if item.withheld {
                    Answers::Withheld
                } else {
                    Answers::Counts(item.counts.clone())
                },
            })
            .collect();
        Drawn {
            min: study.scale.min(),
            segments,
            rows,
            in_line,
            out_line,
            words,
        }
    }

    fn figure(&self) -> Figure<'_> {
        Figure {
            min: self.min,
            segments: &self.segments,
            rows: &self.rows,
            in_line: self.in_line.clone(),
            out_line: self.out_line.clone(),
            words: &self.words,
        }
    }

    fn table(&self) -> Vec<Shares> {
        self.figure().table()
    }
}
