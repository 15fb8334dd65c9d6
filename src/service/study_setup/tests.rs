//! The form read, checked and written back, without a database.

use super::keys::key_from;
use super::*;
use crate::domain::study::{ItemsSource, StudyFile};

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

#[test]
fn a_custom_range_wider_than_i32_gets_no_label_rows_and_a_problem() {
    let pairs: Vec<(String, String)> = [
        ("scale", "custom"),
        ("scale_min", "-2147483648"),
        ("scale_max", "2147483647"),
    ]
    .map(|(n, v)| (n.to_owned(), v.to_owned()))
    .into();
    let posted = SetupForm::from_pairs(&pairs);
    assert!(posted.labels.is_empty());
    let mut form = filled(Start::Blank);
    form.scale = posted.scale;
    form.scale_min = posted.scale_min;
    form.scale_max = posted.scale_max;
    form.rescale("en");
    assert!(form.labels.is_empty());
    let problems = form.check("en").unwrap_err();
    assert!(
        problems.iter().all(|p| p.field.starts_with("scale")),
        "{problems:?}"
    );
}

#[test]
fn a_round_choice_that_is_not_one_is_the_problem_of_its_own_field() {
    for (field, set) in [
        (
            "carry_forward",
            (|f, v| f.carry_forward = v) as fn(&mut SetupForm, String),
        ),
        ("invite", |f, v| f.invite = v),
    ] {
        for value in ["sometimes", ""] {
            let mut form = filled(Start::Blank);
            set(&mut form, value.into());
            let problems = form.check("en").unwrap_err();
            let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
            assert_eq!(fields, [field], "{value:?}: {problems:?}");
        }
    }
}

fn example(path: &str) -> StudyFile {
    let text = std::fs::read_to_string(format!("{}/examples/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    crate::domain::study_file::parse_study_file("study.toml", &text).unwrap()
}

#[test]
fn the_form_of_a_chnri_study_gives_its_criteria_back() {
    let study = example("chnri-lactation/study.toml");
    let form = SetupForm::from_file(&study, Start::Blank);
    assert_eq!(form.priorities.method, "chnri");
    assert_eq!(form.priorities.chnri.len(), 5);
    assert_eq!(form.priorities.chnri[3].weight, "1.5");
    let (file, _, _) = form.check("en").unwrap();
    let strip = |file: &StudyFile| {
        let mut criteria = file.chnri.clone().unwrap().criteria;
        // Translations are not on the form; the Settings page keeps them by key.
        criteria.iter_mut().for_each(|c| c.translations.clear());
        criteria
    };
    assert_eq!(strip(&file), strip(&study));
    assert_eq!(file.method, study.method);
}

#[test]
fn priority_problems_are_named_by_the_row_on_the_page() {
    let mut form = filled(Start::Blank);
    form.priorities.method = "chnri".into();
    form.priorities.chnri = PriorityForm::standard_chnri("en");
    form.priorities.chnri.insert(1, ChnriRow::default());
    form.priorities.chnri[2].weight = "heavy".into();
    form.priorities.chnri[3].questions = String::new();
    form.priorities.chnri[4].key = "answerability".into();
    let problems = form.check("en").unwrap_err();
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        ["chnri_weight_3", "chnri_questions_4", "chnri_key_5"],
        "{problems:?}"
    );
}

#[test]
fn rating_criteria_ranking_and_ideas_reach_the_study_file() {
    let mut form = filled(Start::Blank);
    form.priorities.criteria = vec![
        Row {
            key: String::new(),
            label: "Importance of the indicator".into(),
        },
        Row {
            key: "feasibility".into(),
            label: "Feasible to measure?".into(),
        },
    ];
    form.priorities.combine = "one".into();
    form.priorities.combine_criterion = "feasibility".into();
    form.priorities.ranking = true;
    form.priorities.ranking_choose = "3".into();
    form.priorities.ideas = true;
    form.priorities.ideas_prompt = "What is missing?".into();
    // Left over from trying the CHNRI method: ignored by a rating study.
    form.priorities.chnri = vec![ChnriRow {
        weight: "x".into(),
        ..ChnriRow::default()
    }];
    let (file, _, _) = form.check("en").unwrap();
    assert_eq!(
        file.criterion_keys(),
        ["importance_of_the_indicator", "feasibility"]
    );
    assert_eq!(file.consensus.combine.as_deref(), Some("feasibility"));
    assert_eq!(file.ranking.as_ref().map(|r| r.choose), Some(3));
    assert_eq!(file.ideas.as_ref().map(|i| i.per_expert), Some(5));
    assert!(file.chnri.is_none());
    let back = SetupForm::from_file(&file, Start::Blank);
    assert_eq!(back.check("en").unwrap().0, file);
}

#[test]
fn a_ranking_study_always_has_its_ranking_round() {
    let mut form = filled(Start::Blank);
    form.priorities.method = "ranking".into();
    form.priorities.ranking = false;
    form.priorities.ranking_choose = "5".into();
    form.priorities.ranking_combine = "pooled".into();
    let (file, _, _) = form.check("en").unwrap();
    let ranking = file.ranking.unwrap();
    assert_eq!((ranking.choose, ranking.combine.as_str()), (5, "pooled"));
    form.priorities.ranking_choose = String::new();
    let problems = form.check("en").unwrap_err();
    assert_eq!(problems[0].field, "ranking_choose", "{problems:?}");
}
