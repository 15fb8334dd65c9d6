//! Translations: one Fluent catalogue per language under locales/, embedded in the binary. A
//! catalogue is `locales/<lang>.ftl` (the file called `main` below) plus one file per part of
//! the product under `locales/<lang>/`, so that work on different pages does not edit the same
//! file; a key defined twice in one language is an error at start-up.
//!
//! Two audiences, two sets of languages:
//! - experts read their pages and emails in any language whose catalogue has the expert-facing
//!   files whole ([`EXPERT_FILES`]: `expert.ftl`, `mail.ftl`): see [`expert_languages`];
//! - facilitators read the console in a language whose catalogue has every file English has:
//!   see [`console_languages`]. A console in half Arabic, half English would be worse than
//!   one in English, so a language joins the console only once it is complete.
//!
//! Pages and emails ask for a message by key in the reader's language; a key missing from that
//! language falls back to English. Templates use the `t` helper, `{{t "key" name=value}}`, in
//! the language of the template's root `lang` field, and the `dir` helper for the direction of
//! that language (`<html lang="{{lang}}" dir="{{dir}}">`).

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::domain::language;

/// The language every key must exist in.
pub const FALLBACK: &str = "en";

/// The files a language must have whole to be offered to experts: what they read on their
/// pages (`expert`) and in their emails (`mail`).
pub const EXPERT_FILES: [&str; 2] = ["expert", "mail"];

/// One language's catalogue: its files by name (`main` is `locales/<lang>.ftl`, any other
/// name `locales/<lang>/<name>.ftl`), in the order they are loaded.
struct Catalogue {
    lang: &'static str,
    files: &'static [(&'static str, &'static str)],
}

impl Catalogue {
    fn has_file(&self, name: &str) -> bool {
        self.files.iter().any(|(file, _)| *file == name)
    }
}

/// A catalogue from its language and file names: `main` first when the language has the root
/// file, then the files of `locales/<lang>/`; `complete` is every file, the console's and the
/// experts'.
macro_rules! catalogue {
    ($lang:literal, complete) => {
        catalogue!(
            $lang,
            main,
            ["setup", "translations", "emails", "panel", "closing", "test_mode", "expert", "mail", "figure", "drift", "delivery", "sender_check"]
        )
    };
    ($lang:literal, main, [$($file:literal),* $(,)?]) => {
        Catalogue {
            lang: $lang,
            files: &[
                ("main", include_str!(concat!("../locales/", $lang, ".ftl"))),
                $(($file, include_str!(concat!("../locales/", $lang, "/", $file, ".ftl"))),)*
            ],
        }
    };
    ($lang:literal, [$($file:literal),* $(,)?]) => {
        Catalogue {
            lang: $lang,
            files: &[$(($file, include_str!(concat!("../locales/", $lang, "/", $file, ".ftl"))),)*],
        }
    };
}

/// Every language, English first; the others in the order they are offered.
const CATALOGUES: &[Catalogue] = &[
    catalogue!("en", complete),
    catalogue!("fr", complete),
    catalogue!("es", ["expert", "mail"]),
    catalogue!("pt", ["expert", "mail"]),
    catalogue!("ar", ["expert", "mail"]),
];

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Result<HashMap<&'static str, Bundle>, String>> = LazyLock::new(|| {
    let mut bundles = HashMap::new();
    for catalogue in CATALOGUES {
        let lang = catalogue.lang;
        let id: LanguageIdentifier = lang.parse().map_err(|e| format!("locales/{lang}: {e}"))?;
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // In a right-to-left language a variable is often left-to-right text (a title in
        // English, a range such as 7–9) that the bidirectional algorithm would scramble: Unicode
        // isolation marks keep it whole. Left-to-right languages go without them, as marks would
        // only clutter plain-text emails there.
        bundle.set_use_isolating(language::direction(lang) == language::Direction::RightToLeft);
        for (file, source) in catalogue.files {
            let resource = FluentResource::try_new(source.to_string())
                .map_err(|(_, errors)| format!("locales/{lang} {file}.ftl: {errors:?}"))?;
            bundle
                .add_resource(resource)
                .map_err(|errors| format!("locales/{lang} {file}.ftl: {errors:?}"))?;
        }
        bundles.insert(lang, bundle);
    }
    Ok(bundles)
});

fn all_languages() -> impl Iterator<Item = &'static str> + Clone {
    CATALOGUES.iter().map(|c| c.lang)
}

/// Languages experts can read their pages and emails in: those with every file of
/// [`EXPERT_FILES`], English first.
pub fn expert_languages() -> Vec<&'static str> {
    CATALOGUES
        .iter()
        .filter(|c| EXPERT_FILES.iter().all(|file| c.has_file(file)))
        .map(|c| c.lang)
        .collect()
}

/// Languages the console (facilitators' pages and emails) is offered in: those whose catalogue
/// has every file English has, English first. Tests check those files are complete too.
pub fn console_languages() -> Vec<&'static str> {
    let english = &CATALOGUES[0];
    CATALOGUES
        .iter()
        .filter(|c| english.files.iter().all(|(file, _)| c.has_file(file)))
        .map(|c| c.lang)
        .collect()
}

/// The expert language closest to `requested` (`es-MX` → `es`; an `Accept-Language` value or
/// a comma-separated list of tags), or English.
pub fn negotiate_expert(requested: &str) -> &'static str {
    language::negotiate(requested, expert_languages()).unwrap_or(FALLBACK)
}

/// The console language closest to `requested` (`fr-CA` → `fr`, `ar` → English), or English.
pub fn negotiate_console(requested: &str) -> &'static str {
    language::negotiate(requested, console_languages()).unwrap_or(FALLBACK)
}

/// The page and email language of an expert whose own languages are known, most wanted first
/// (the expert's language, then their study's): the first expert language we have, else
/// English.
pub fn for_reader(languages: &[Option<&str>]) -> &'static str {
    let wanted: Vec<&str> = languages.iter().flatten().copied().collect();
    negotiate_expert(&wanted.join(","))
}

/// The direction of `lang`'s text, as an HTML `dir` value (`rtl` for Arabic, else `ltr`).
pub fn direction(lang: &str) -> &'static str {
    language::direction(lang).as_str()
}

/// The message `key` in `lang` with `args`, falling back to English, then to the key itself
/// (so a missing message shows up in a page instead of breaking it; tests catch it). Numbers
/// must be passed as numbers (`n.into()`), not text, for plurals to choose their variant.
pub fn translate(lang: &str, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let Ok(bundles) = BUNDLES.as_ref() else {
        return key.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    for candidate in [nearest(lang), FALLBACK] {
        if let Some(bundle) = bundles.get(candidate) {
            if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
                return text.into_owned();
            }
        }
    }
    key.to_string()
}

/// The catalogue closest to `lang` among all of them: a message is looked up in the reader's
/// language whichever audience the caller negotiated it for.
fn nearest(lang: &str) -> &'static str {
    language::negotiate(lang, all_languages()).unwrap_or(FALLBACK)
}

/// Whether `key` has a message in `lang` or in the fallback language.
pub fn has(lang: &str, key: &str) -> bool {
    BUNDLES.as_ref().is_ok_and(|bundles| {
        [nearest(lang), FALLBACK]
            .iter()
            .any(|l| bundles.get(l).is_some_and(|b| b.has_message(key)))
    })
}

/// Checks the catalogues parse; called at start-up.
pub fn check() -> Result<usize, String> {
    BUNDLES.as_ref().map(|b| b.len()).map_err(Clone::clone)
}

/// The handlebars helpers: `{{t "key" name=value}}`, escaped as the registry escapes any
/// `{{value}}` (HTML pages and email bodies escape, text emails do not); and `{{dir}}`, the
/// direction of the root `lang` (or `{{dir some.lang}}`, of that language).
pub fn register_helper(hb: &mut handlebars::Handlebars<'_>) {
    hb.register_helper("t", Box::new(translate_helper));
    hb.register_helper("dir", Box::new(direction_helper));
}

fn root_lang(ctx: &handlebars::Context) -> &str {
    ctx.data()
        .get("lang")
        .and_then(|v| v.as_str())
        .unwrap_or(FALLBACK)
}

fn direction_helper(
    h: &handlebars::Helper<'_>,
    _: &handlebars::Handlebars<'_>,
    ctx: &handlebars::Context,
    _: &mut handlebars::RenderContext<'_, '_>,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let lang = match h.param(0) {
        Some(param) => param.value().as_str().unwrap_or(FALLBACK),
        None => root_lang(ctx),
    };
    out.write(direction(lang))?;
    Ok(())
}

fn translate_helper(
    h: &handlebars::Helper<'_>,
    hb: &handlebars::Handlebars<'_>,
    ctx: &handlebars::Context,
    _: &mut handlebars::RenderContext<'_, '_>,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let key = h
        .param(0)
        .and_then(|p| p.value().as_str())
        .ok_or_else(|| handlebars::RenderErrorReason::ParamNotFoundForIndex("t", 0))?;
    let lang = root_lang(ctx);
    let args: Vec<(&str, FluentValue<'_>)> = h
        .hash()
        .iter()
        .map(|(name, value)| {
            let value = match value.value() {
                serde_json::Value::Number(n) => {
                    n.as_f64().map(FluentValue::from).unwrap_or(FluentValue::None)
                }
                serde_json::Value::String(s) => FluentValue::from(s.clone()),
                other => FluentValue::from(other.to_string()),
            };
            (*name, value)
        })
        .collect();
    out.write(&hb.get_escape_fn()(&translate(lang, key, &args)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    /// The messages of one catalogue file as written: each key with its definition, the
    /// indented lines and closing braces of a multi-line message included.
    fn messages(source: &str) -> BTreeMap<&str, String> {
        let mut out = BTreeMap::new();
        let mut current: Option<(&str, String)> = None;
        for line in source.lines() {
            let continues = line.starts_with([' ', '\t', '}', '[', '*', '.']) && !line.trim().is_empty();
            if continues {
                if let Some((_, text)) = current.as_mut() {
                    text.push('\n');
                    text.push_str(line);
                }
                continue;
            }
            if let Some((key, text)) = current.take() {
                out.insert(key, text);
            }
            let key = line.split('=').next().unwrap_or_default().trim();
            let is_key = line.contains('=')
                && key.starts_with(|c: char| c.is_ascii_alphabetic())
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if is_key && !line.starts_with('#') {
                current = Some((key, line.to_string()));
            }
        }
        if let Some((key, text)) = current {
            out.insert(key, text);
        }
        out
    }

    /// One message of a catalogue file, with the file's path for a problem to name.
    struct Message {
        lang: &'static str,
        at: String,
        key: &'static str,
        text: String,
    }

    /// Every message of every catalogue file.
    fn every_message() -> impl Iterator<Item = Message> {
        CATALOGUES.iter().flat_map(|catalogue| {
            catalogue.files.iter().flat_map(move |(name, source)| {
                messages(source).into_iter().map(move |(key, text)| Message {
                    lang: catalogue.lang,
                    at: path(catalogue.lang, name),
                    key,
                    text,
                })
            })
        })
    }

    fn catalogue(lang: &str) -> &'static Catalogue {
        CATALOGUES.iter().find(|c| c.lang == lang).unwrap()
    }

    fn file<'a>(catalogue: &'a Catalogue, name: &str) -> Option<&'a str> {
        catalogue
            .files
            .iter()
            .find(|(file, _)| *file == name)
            .map(|(_, source)| *source)
    }

    fn path(lang: &str, file: &str) -> String {
        if file == "main" {
            format!("locales/{lang}.ftl")
        } else {
            format!("locales/{lang}/{file}.ftl")
        }
    }

    /// Every English key, in whichever file.
    fn english_keys() -> BTreeSet<&'static str> {
        catalogue(FALLBACK)
            .files
            .iter()
            .flat_map(|(_, source)| messages(source).into_keys())
            .collect()
    }

    /// The variables a message uses: `$name` wherever it appears, selectors included.
    fn variables(text: &str) -> BTreeSet<&str> {
        text.split('$')
            .skip(1)
            .map(|rest| {
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .unwrap_or(rest.len());
                &rest[..end]
            })
            .collect()
    }

    #[test]
    fn catalogues_parse() {
        assert_eq!(check().unwrap(), CATALOGUES.len());
        assert!(english_keys().len() > 500);
    }

    #[test]
    fn every_file_has_exactly_the_keys_of_its_english_file() {
        let english = catalogue(FALLBACK);
        let mut problems = Vec::new();
        for catalogue in CATALOGUES {
            for (name, source) in catalogue.files {
                let at = path(catalogue.lang, name);
                let Some(theirs) = file(english, name) else {
                    problems.push(format!("{at} has no English file {}", path(FALLBACK, name)));
                    continue;
                };
                let expected = messages(theirs);
                let found = messages(source);
                for key in expected.keys().filter(|k| !found.contains_key(*k)) {
                    problems.push(format!("{}: {at} misses the key {key}", catalogue.lang));
                }
                for key in found.keys().filter(|k| !expected.contains_key(*k)) {
                    problems.push(format!(
                        "{}: {at} has the key {key}, which English has not",
                        catalogue.lang
                    ));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn experts_get_every_language_and_the_console_only_complete_ones() {
        for catalogue in CATALOGUES {
            for name in EXPERT_FILES {
                assert!(
                    catalogue.has_file(name),
                    "{} has no {}",
                    catalogue.lang,
                    path(catalogue.lang, name)
                );
            }
        }
        assert_eq!(expert_languages(), ["en", "fr", "es", "pt", "ar"]);
        assert_eq!(console_languages(), ["en", "fr"]);
        for lang in ["en", "fr"] {
            for (name, _) in catalogue(FALLBACK).files {
                assert!(
                    catalogue(lang).has_file(name),
                    "{lang} has no {}",
                    path(lang, name)
                );
            }
        }
        for (accept, expert, console) in [
            ("ar-MA, fr;q=0.5", "ar", "fr"),
            ("pt-BR", "pt", "en"),
            ("es-MX", "es", "en"),
            ("FR_be", "fr", "fr"),
        ] {
            assert_eq!(negotiate_expert(accept), expert, "{accept}");
            assert_eq!(negotiate_console(accept), console, "{accept}");
        }
    }

    #[test]
    fn translations_use_only_the_variables_english_gives_them() {
        let english: BTreeMap<&str, String> = catalogue(FALLBACK)
            .files
            .iter()
            .flat_map(|(_, source)| messages(source))
            .collect();
        let mut problems = Vec::new();
        for message in every_message().filter(|m| m.lang != FALLBACK) {
            let Some(theirs) = english.get(message.key) else {
                continue;
            };
            let allowed = variables(theirs);
            for unknown in variables(&message.text).difference(&allowed) {
                problems.push(format!(
                    "{} {}: ${unknown} is not a variable of the English message",
                    message.at, message.key
                ));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn no_message_writes_a_plural_as_s_in_brackets() {
        let mut problems = Vec::new();
        for Message { at, key, text, .. } in every_message() {
            let shortcut = ["(s)", "(es)", "(x)"].iter().any(|mark| {
                text.match_indices(mark)
                    .any(|(at, _)| text[..at].chars().next_back().is_some_and(char::is_alphabetic))
            });
            if shortcut {
                problems.push(format!("{at} {key}: use a Fluent plural"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn plurals_follow_the_number() {
        let progress = |lang: &str, answered: u32, total: u32| {
            translate(
                lang,
                "expert-progress",
                &[("answered", answered.into()), ("total", total.into())],
            )
        };
        assert_eq!(progress("fr", 1, 8), "1 élément renseigné sur 8");
        assert_eq!(progress("fr", 0, 8), "0 élément renseigné sur 8");
        assert_eq!(progress("fr", 8, 8), "8 éléments renseignés sur 8");
        assert_eq!(progress("en", 0, 1), "0 of 1 item answered");
        assert_eq!(progress("en", 3, 8), "3 of 8 items answered");
        // Console messages too.
        let intact = |lang: &str, n: i64| translate(lang, "console2-audit-intact", &[("n", n.into())]);
        assert_eq!(
            intact("en", 1),
            "Chain intact: the one entry of this study checks out."
        );
        assert_eq!(
            intact("fr", 12),
            "Chaîne intacte : les 12 entrées de cette étude sont vérifiées."
        );
        let imported = translate(
            "fr",
            "audit-items-import",
            &[
                ("file", "a.csv".into()),
                ("added", 1.into()),
                ("updated", 2.into()),
            ],
        );
        assert_eq!(
            imported,
            "A importé des items depuis a.csv : 1 ajouté, 2 modifiés."
        );
        // Arabic messages isolate their variables (see BUNDLES); the marks are not looked at here.
        let invited = |lang: &str, items: u32| {
            translate(
                lang,
                "email-invitation-intro",
                &[
                    ("study", "S".into()),
                    ("round", 1.into()),
                    ("items", items.into()),
                ],
            )
            .replace(['\u{2068}', '\u{2069}'], "")
        };
        assert!(invited("es", 1).contains("1 ítem"), "{}", invited("es", 1));
        assert!(invited("es", 12).contains("12 ítems"), "{}", invited("es", 12));
        assert!(invited("pt", 1).contains("1 item "), "{}", invited("pt", 1));
        assert!(invited("pt", 12).contains("12 itens"), "{}", invited("pt", 12));
        // Arabic: a word of its own for one and two, a plural for 3–10, a singular from 11.
        assert!(
            invited("ar", 1).contains("تقييم بند واحد"),
            "{}",
            invited("ar", 1)
        );
        assert!(invited("ar", 2).contains("بندين"), "{}", invited("ar", 2));
        assert!(invited("ar", 5).contains("5 بنود"), "{}", invited("ar", 5));
        assert!(invited("ar", 12).contains("12 بندًا"), "{}", invited("ar", 12));
        assert!(invited("ar", 100).contains("100 بند"), "{}", invited("ar", 100));
        // A number passed as text cannot choose: it falls to the default variant.
        let text = translate(
            "fr",
            "expert-progress",
            &[("answered", "1".into()), ("total", "8".into())],
        );
        assert_eq!(text, "1 éléments renseignés sur 8");
    }

    /// Every file under `dir` (relative to the crate) whose name ends with `suffix`.
    fn sources(dir: &str, suffix: &str) -> Vec<(PathBuf, String)> {
        let mut found = Vec::new();
        let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.to_string_lossy().ends_with(suffix) {
                    let text = std::fs::read_to_string(&path).unwrap();
                    found.push((path, text));
                }
            }
        }
        found
    }

    /// `"key"` at `at`: the key when a lowercase key-shaped literal starts there.
    fn literal_at(text: &str, at: usize) -> Option<&str> {
        let rest = &text[at + 1..];
        let end =
            rest.find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'))?;
        let key = &rest[..end];
        let shaped = rest[end..].starts_with('"')
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && key.contains('-')
            && !key.ends_with('-');
        shaped.then_some(key)
    }

    #[test]
    fn every_key_templates_and_code_ask_for_exists_in_english() {
        let english = english_keys();
        let mut problems = Vec::new();
        let mut in_templates = 0;
        for (path, text) in sources("templates", ".hbs") {
            for (at, _) in text.match_indices("t \"") {
                let helper = text[..at].ends_with("{{") || text[..at].ends_with('(');
                // `at` is the helper's name; its key's opening quote is two characters on.
                if let Some(key) = literal_at(&text, at + 2).filter(|_| helper) {
                    in_templates += 1;
                    if !english.contains(key) {
                        problems.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(
            in_templates > 300,
            "only {in_templates} keys found in the templates"
        );
        // In code a key is any key-shaped literal of a family English has (`expert-…`,
        // `console2-…`), except constants naming something else (form fields). Keys built with
        // format! cannot be checked here; the pages' tests render them.
        let families: BTreeSet<&str> = english.iter().filter_map(|k| k.split('-').next()).collect();
        let mut checked = 0;
        for (path, text) in sources("src", ".rs") {
            if path.ends_with("i18n.rs") {
                continue;
            }
            for (at, _) in text.match_indices('"') {
                let Some(key) = literal_at(&text, at) else {
                    continue;
                };
                let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
                let constant = text[line_start..at].trim_start().starts_with("const ")
                    || text[line_start..at].trim_start().starts_with("pub const ");
                if constant || !key.split('-').next().is_some_and(|f| families.contains(f)) {
                    continue;
                }
                checked += 1;
                if !english.contains(key) {
                    problems.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(checked > 100, "only {checked} keys found in the code");
        assert!(
            problems.is_empty(),
            "keys missing from the English catalogue:\n{}",
            problems.join("\n")
        );
    }

    #[test]
    fn readers_get_their_language_then_the_study_s_then_english() {
        assert_eq!(for_reader(&[Some("fr"), Some("en")]), "fr");
        assert_eq!(for_reader(&[Some("fr-CA"), Some("en")]), "fr");
        assert_eq!(for_reader(&[Some("sw"), Some("fr")]), "fr");
        assert_eq!(for_reader(&[None, Some("de")]), "en");
        assert_eq!(for_reader(&[Some("pt-BR"), Some("en")]), "pt");
        assert_eq!(for_reader(&[None, Some("ar")]), "ar");
        assert_eq!(for_reader(&[Some("es-419"), Some("ar")]), "es");
    }

    #[test]
    fn falls_back_to_english_then_to_the_key() {
        assert_eq!(translate("fr", "skip-to-content", &[]), "Aller au contenu");
        assert_eq!(translate("fr-CA", "skip-to-content", &[]), "Aller au contenu");
        assert_eq!(translate("sw", "skip-to-content", &[]), "Skip to content");
        assert_eq!(translate("fr", "no-such-key", &[]), "no-such-key");
        // A console message has no Arabic: an Arabic reader of it gets English.
        assert_eq!(translate("ar", "login-title", &[]), "Sign in");
        assert_eq!(translate("ar", "skip-to-content", &[]), "الانتقال إلى المحتوى");
    }

    #[test]
    fn templates_get_the_direction_of_their_language() {
        let mut hb = handlebars::Handlebars::new();
        hb.set_strict_mode(true);
        register_helper(&mut hb);
        hb.register_template_string(
            "page",
            "<html lang=\"{{lang}}\" dir=\"{{dir}}\"><p dir=\"{{dir other}}\">",
        )
        .unwrap();
        let render = |lang: &str, other: &str| {
            hb.render("page", &serde_json::json!({ "lang": lang, "other": other }))
                .unwrap()
        };
        assert_eq!(
            render("ar", "fr"),
            "<html lang=\"ar\" dir=\"rtl\"><p dir=\"ltr\">"
        );
        assert_eq!(
            render("es", "ar"),
            "<html lang=\"es\" dir=\"ltr\"><p dir=\"rtl\">"
        );
    }
}
