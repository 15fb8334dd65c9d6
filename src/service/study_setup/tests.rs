//! The form read, checked and written back, without a database.

use super::keys::key_from;
use super::*;
use crate::domain::study::ItemsSource;

fn filled(start: Start) -> SetupForm {
    let mut form = starting_form(start, "en").unwrap();
    form.title = "Micronutrients in lactation".into();
    form.timezone = "Africa/Nairobi".into();
    form
}

#[test]
fn every_starting_point_gives_a_form_that_checks() {
    for start in Start::ALL {
        for lang in ["en", "fr"] {
            let mut form = starting_form(start, lang).unwrap();
            form.title = "Études".into();
            form.timezone = "Europe/Paris".into();
            let checked = form.check(lang);
            assert!(checked.is_ok(), "{start:?} {lang}: {:?}", checked.err());
        }
    }
}

#[test]
fn a_blank_form_lists_every_problem_at_once_by_field() {
    let mut form = starting_form(Start::Blank, "en").unwrap();
    form.rounds_max = "three".into();
    form.groups = vec![
        Row::default(),
        Row {
            key: "Bad Key".into(),
            label: "X".into(),
        },
    ];
    let problems = form.check("en").unwrap_err();
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    for expected in ["rounds_max", "title", "timezone", "group_key_2"] {
        assert!(fields.contains(&expected), "{expected} missing from {problems:?}");
    }
}

#[test]
fn the_form_of_a_file_gives_the_same_file_back() {
    let example = crate::service::demo::bundle().unwrap().file;
    let form = SetupForm::from_file(&example, Start::Example);
    let (file, _, _) = form.check("en").unwrap();
    let mut expected = example.clone();
    expected.items = ItemsSource::Inline(Vec::new());
    expected.panel = None;
    // Translations are not on the form; `keep_translations` carries them over.
    expected.translations = Default::default();
    assert_eq!(file, expected);
    assert_eq!(ScaleChoice::parse(&form.scale), Some(ScaleChoice::Nine));
}

#[test]
fn posted_pairs_read_rows_labels_and_checkboxes() {
    let pairs: Vec<(String, String)> = [
        ("title", "Priorités"),
        ("scale", "five"),
        ("label_1", "Pas du tout"),
        ("group_key_1", ""),
        ("group_name_1", "Chercheurs et chercheuses"),
        ("section_title_3", "Questions"),
        ("languages", "en"),
        ("languages", "fr"),
        ("unable_to_score", "on"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let form = SetupForm::from_pairs(&pairs);
    assert_eq!(form.labels.len(), 5);
    assert_eq!(form.labels[0].text, "Pas du tout");
    assert_eq!(form.groups[0].label, "Chercheurs et chercheuses");
    assert_eq!(form.sections.len(), 1);
    assert!(form.unable_to_score && !form.close_at_deadline);
    assert_eq!(form.languages, ["en", "fr"]);
    assert_eq!(slug_from(&form.title), "priorites");
    assert_eq!(key_from(&form.groups[0].label), "chercheurs-et-chercheuses");
}

#[test]
fn rescaling_takes_the_preset_words_and_keeps_custom_ones() {
    let mut form = filled(Start::Blank);
    form.scale = "seven".into();
    form.rescale("en");
    assert_eq!(form.labels.len(), 7);
    assert_eq!(form.labels[6].text, "Strongly agree");
    form.scale = "custom".into();
    form.scale_min = "0".into();
    form.scale_max = "10".into();
    form.rescale("en");
    assert_eq!(form.labels.len(), 11);
    assert_eq!(form.labels[7].text, "Strongly agree");
}
