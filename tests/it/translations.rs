//! Translating a study in the console: the texts beside their translation, what is missing,
//! saving, the expert's page in the translated language, and the study file carrying it all.

use delphi::db::schema::audit_log;
use delphi::domain::role::Role;
use delphi::domain::study_file::parse_study_file;
use delphi::service::studies;
use diesel::prelude::*;

use crate::support::app::spawn_app;
use crate::support::files::unzip;
use crate::support::fixtures::SLUG;
use crate::support::forms::unescape;
use crate::support::rounds::{experts, load_demo, open_round_with_links, speaking};
use crate::support::sign_in::{add_named_facilitator, editor_and_viewer, grant, Session};

#[tokio::test]
async fn translated_texts_reach_the_experts_of_that_language_and_the_study_file() {
    let app = spawn_app().await;
    load_demo(&mut app.db.get().unwrap());
    add_named_facilitator(&app.db, "ed@example.org", "Ed Itor");
    grant(&app.db, SLUG, "ed@example.org", Role::Editor);
    let ed = Session::sign_in(&app, "ed@example.org").await;
    let page_url = format!("/console/s/{SLUG}/translations");

    // The example comes with its French texts; its item descriptions are partly untranslated.
    let page = unescape(&ed.page(&page_url).await);
    assert!(
        page.contains("Indicateurs de santé et d'état nutritionnel des mères"),
        "{page}"
    );
    assert!(page.contains("texts translated into Français"), "{page}");
    let missing = unescape(&ed.page(&format!("{page_url}?lang=fr&missing=1")).await);
    assert!(
        !missing.contains("name=\"section_maternal\""),
        "translated texts are left out"
    );

    // Change a section title and a scale word, and remove the French title.
    let saved = ed
        .post_ok(
            &page_url,
            &[
                ("lang", "fr"),
                ("section_infant", "Santé et sécurité du nourrisson"),
                ("label_9", "Absolument essentiel"),
                ("title", ""),
            ],
            "saved&n=3",
        )
        .await;
    assert!(saved.contains("3 translations saved."), "{saved}");
    let actions: Vec<String> = audit_log::table
        .select(audit_log::action)
        .load(&mut app.db.get().unwrap())
        .unwrap();
    assert!(actions.iter().any(|a| a == "study.translations"));

    // A French expert's page shows them; an English expert's does not.
    let links = open_round_with_links(&app, &mut app.db.get().unwrap(), SLUG);
    let panel = experts(&mut app.db.get().unwrap(), SLUG);
    let (french, english) = (speaking(&panel, "fr"), speaking(&panel, "en"));
    let fr_page = unescape(&app.text(&format!("/r/{}", links[&french.id])).await);
    assert!(fr_page.contains("Santé et sécurité du nourrisson"), "{fr_page}");
    assert!(fr_page.contains("Absolument essentiel"));
    assert!(
        fr_page.contains("Merci de rejoindre le panel"),
        "the French welcome text"
    );
    assert!(
        fr_page.contains("Lactation and Micronutrient Needs"),
        "no French title: the English one"
    );
    let en_page = unescape(&app.text(&format!("/r/{}", links[&english.id])).await);
    assert!(en_page.contains("Infant health and safety indicators"));
    assert!(!en_page.contains("Absolument essentiel"));

    // The study file carries the translations and reads back the same.
    let package = ed.get(&format!("/console/s/{SLUG}/export/package.zip")).await;
    let files = unzip(&package.bytes().await.unwrap());
    let (_, toml) = files.iter().find(|(n, _)| n.ends_with("study.toml")).unwrap();
    let toml = String::from_utf8(toml.clone()).unwrap();
    assert!(toml.contains("[translations.fr]"), "{toml}");
    let file = parse_study_file("study.toml", &toml).unwrap();
    let study = studies::load(&mut app.db.get().unwrap(), SLUG).unwrap();
    assert_eq!(file.translations, study.file.translations);
    assert_eq!(
        file.translations["fr"].sections["infant"],
        "Santé et sécurité du nourrisson"
    );
    assert_eq!(file.translations["fr"].title, None);
}

#[tokio::test]
async fn item_translations_are_saved_and_refusals_keep_what_was_typed() {
    let app = spawn_app().await;
    load_demo(&mut app.db.get().unwrap());
    editor_and_viewer(&app.db, SLUG);
    let ed = Session::sign_in(&app, "ed@example.org").await;
    let page_url = format!("/console/s/{SLUG}/translations");

    let page = unescape(&ed.page(&page_url).await);
    let code = page
        .split("name=\"item_")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let text_field = format!("item_{code}");
    let desc_field = format!("itemdesc_{code}");

    // A description without the item's text is refused, naming the item, and nothing is saved.
    let page = ed
        .post_refused(
            &page_url,
            &[
                ("lang", "fr"),
                (&text_field, ""),
                (&desc_field, "Une description seule"),
                ("section_infant", "Nourrissons"),
            ],
            422,
        )
        .await;
    assert!(
        page.contains(&format!("item {code}: translate its text too")),
        "{page}"
    );
    assert!(page.contains("Une description seule"), "what was typed is kept");
    let study = studies::load(&mut app.db.get().unwrap(), SLUG).unwrap();
    assert_ne!(study.file.translations["fr"].sections["infant"], "Nourrissons");

    ed.post_ok(
        &page_url,
        &[
            ("lang", "fr"),
            (&text_field, "Un texte traduit"),
            (&desc_field, "Et sa description"),
        ],
        "saved&n=2",
    )
    .await;
    let page = unescape(&ed.page(&page_url).await);
    assert!(page.contains("value=\"Un texte traduit\""), "{page}");
    assert!(page.contains(">Et sa description</textarea>"));

    // The same form again changes nothing.
    ed.post_ok(
        &page_url,
        &[("lang", "fr"), (&text_field, "Un texte traduit")],
        "unchanged",
    )
    .await;

    // A language the study does not offer, and a viewer's POST, are refused.
    let refused = ed
        .post_refused(&page_url, &[("lang", "de"), ("title", "Titel")], 422)
        .await;
    assert!(
        refused.contains("`de` is not one of the study's other languages"),
        "{refused}"
    );
    let vi = Session::sign_in(&app, "vi@example.org").await;
    vi.page(&page_url).await;
    assert_eq!(
        vi.post(&page_url, &[("lang", "fr"), ("title", "X")])
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn a_study_in_one_language_points_to_its_settings() {
    let app = spawn_app().await;
    add_named_facilitator(&app.db, "res@example.org", "Rea Searcher");
    let me = Session::sign_in(&app, "res@example.org").await;
    let form = [
        ("title", "One language"),
        ("slug", "one-language"),
        ("language", "en"),
        ("languages", "en"),
        ("timezone", "UTC"),
        ("scale", "nine"),
        ("rule_preset", "comet"),
        ("rounds_max", "3"),
        ("min_group_feedback", "3"),
        ("carry_forward", "unresolved"),
        ("invite", "all"),
        ("group_name_1", "Experts"),
        ("section_title_1", "Items"),
    ];
    assert_eq!(me.post("/console/new/form", &form).await.status(), 303);
    let page = me.page("/console/s/one-language/translations").await;
    assert!(page.contains("offered in one language only"), "{page}");
    // New experts get one of the study's languages.
    let panel = me.page("/console/s/one-language/panel").await;
    assert!(panel.contains("<option value=\"en\""), "{panel}");
    assert!(!panel.contains("<option value=\"fr\""), "{panel}");
}

/// Criteria are translated on the page like the other texts and kept where the study file keeps
/// them: a rating criterion's question beside it (`label_fr`), a CHNRI criterion's name and
/// questions in its `translations.fr`; a CHNRI criterion's questions go all together or not at all.
#[tokio::test]
async fn criteria_are_translated_on_the_page_and_kept_beside_each_criterion() {
    use crate::support::fixtures::create_study_from;

    let app = spawn_app().await;
    add_named_facilitator(&app.db, "ed@example.org", "Ed Itor");
    let chnri = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/chnri-lactation/study.toml");
    create_study_from(&app.db, &chnri, Some("ed@example.org"));
    let rated = crate::criteria::criteria_study(app.database.dir.path(), "all");
    create_study_from(&app.db, &rated, Some("ed@example.org"));
    let ed = Session::sign_in(&app, "ed@example.org").await;

    // A rating criterion: the one without French is missing; saving stores it beside it.
    let url = format!("/console/s/{SLUG}/translations");
    let page = unescape(&ed.page(&format!("{url}?lang=fr&missing=1")).await);
    assert!(page.contains("<h2>Criteria</h2>"), "{page}");
    assert!(page.contains("name=\"criterion_feasibility\""), "{page}");
    assert!(
        !page.contains("name=\"criterion_importance\""),
        "translated already: {page}"
    );
    ed.post_ok(
        &url,
        &[
            ("lang", "fr"),
            ("criterion_feasibility", "Est-ce mesurable en routine ?"),
        ],
        "saved&n=1",
    )
    .await;
    let study = studies::load(&mut app.db.get().unwrap(), SLUG).unwrap();
    assert_eq!(
        study.file.criteria[1].labels["fr"],
        "Est-ce mesurable en routine ?"
    );
    assert_eq!(
        study.file.criteria[0].labels["fr"],
        "Quelle est l'importance de cet indicateur ?"
    );

    // A CHNRI criterion: its name and each question, numbered.
    let url = "/console/s/chnri-lactation/translations";
    let page = unescape(&ed.page(&format!("{url}?lang=fr")).await);
    assert!(page.contains("value=\"Effet sur l'équité\""), "{page}");
    assert!(page.contains("equity: question 2"), "{page}");
    // One question of two: refused, naming the criterion and the empty question, nothing saved.
    let refused = unescape(
        &ed.post_refused(
            url,
            &[
                ("lang", "fr"),
                ("chnri_equity", "Équité"),
                ("chnriq_equity_1", "Première ?"),
                ("chnriq_equity_2", ""),
            ],
            422,
        )
        .await,
    );
    assert!(
        refused.contains("criterion equity: translate all 2 of its questions, or none (question 2 is empty)"),
        "{refused}"
    );
    let study = studies::load(&mut app.db.get().unwrap(), "chnri-lactation").unwrap();
    let equity = |s: &delphi::domain::study::Study| s.file.chnri_criteria()[4].translations["fr"].clone();
    assert_eq!(equity(&study).label.as_deref(), Some("Effet sur l'équité"));
    ed.post_ok(
        url,
        &[
            ("lang", "fr"),
            ("chnri_equity", "Équité"),
            ("chnriq_equity_1", "Première ?"),
            ("chnriq_equity_2", "Seconde ?"),
        ],
        "saved&n=3",
    )
    .await;
    let study = studies::load(&mut app.db.get().unwrap(), "chnri-lactation").unwrap();
    assert_eq!(equity(&study).label.as_deref(), Some("Équité"));
    assert_eq!(equity(&study).questions, ["Première ?", "Seconde ?"]);
}
