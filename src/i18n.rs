//! Translations: one Fluent catalogue per language under locales/, embedded in the binary. A
//! catalogue is `locales/<lang>.ftl` plus one file per part of the product under
//! `locales/<lang>/`, so that work on different pages does not edit the same file; a key defined
//! twice in one language is an error at start-up.
//!
//! Pages and emails ask for a message by key in the reader's language; a key missing from that
//! language falls back to English, so a half-translated catalogue still renders complete pages.
//! Templates use the `t` helper: `{{t "key" name=value}}` in the language of the template's
//! root `lang` field.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::domain::language;

/// The language every key must exist in.
pub const FALLBACK: &str = "en";

/// Each language with its files, in the same order for every language.
const CATALOGUES: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            include_str!("../locales/en.ftl"),
            include_str!("../locales/en/setup.ftl"),
            include_str!("../locales/en/translations.ftl"),
            include_str!("../locales/en/emails.ftl"),
            include_str!("../locales/en/panel.ftl"),
            include_str!("../locales/en/closing.ftl"),
            include_str!("../locales/en/test_mode.ftl"),
            include_str!("../locales/en/expert.ftl"),
            include_str!("../locales/en/mail.ftl"),
            include_str!("../locales/en/figure.ftl"),
        ],
    ),
    (
        "fr",
        &[
            include_str!("../locales/fr.ftl"),
            include_str!("../locales/fr/setup.ftl"),
            include_str!("../locales/fr/translations.ftl"),
            include_str!("../locales/fr/emails.ftl"),
            include_str!("../locales/fr/panel.ftl"),
            include_str!("../locales/fr/closing.ftl"),
            include_str!("../locales/fr/test_mode.ftl"),
            include_str!("../locales/fr/expert.ftl"),
            include_str!("../locales/fr/mail.ftl"),
            include_str!("../locales/fr/figure.ftl"),
        ],
    ),
];

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Result<HashMap<&'static str, Bundle>, String>> = LazyLock::new(|| {
    let mut bundles = HashMap::new();
    for (lang, sources) in CATALOGUES {
        let id: LanguageIdentifier = lang.parse().map_err(|e| format!("locales/{lang}.ftl: {e}"))?;
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Unicode isolation marks around variables confuse plain-text emails and tests; our
        // variables are names and numbers, not bidirectional text.
        bundle.set_use_isolating(false);
        for (n, source) in sources.iter().enumerate() {
            let resource = FluentResource::try_new(source.to_string())
                .map_err(|(_, errors)| format!("locales/{lang} file {}: {errors:?}", n + 1))?;
            bundle
                .add_resource(resource)
                .map_err(|errors| format!("locales/{lang} file {}: {errors:?}", n + 1))?;
        }
        bundles.insert(*lang, bundle);
    }
    Ok(bundles)
});

/// Languages with a catalogue, English first.
pub fn languages() -> Vec<&'static str> {
    CATALOGUES.iter().map(|(lang, _)| *lang).collect()
}

/// The supported language closest to `requested` (`fr-CA` → `fr`), or English.
pub fn negotiate(requested: &str) -> &'static str {
    language::negotiate(requested, CATALOGUES.iter().map(|(lang, _)| *lang)).unwrap_or(FALLBACK)
}

/// The catalogue language of a reader whose own languages are known, most wanted first (an
/// expert's language, then their study's): the first we have, else English.
pub fn for_reader(languages: &[Option<&str>]) -> &'static str {
    let wanted: Vec<&str> = languages.iter().flatten().copied().collect();
    negotiate(&wanted.join(","))
}

/// Every key of the English catalogue (tests check the other languages against it).
pub fn keys(lang: &str) -> Vec<String> {
    let Some((_, sources)) = CATALOGUES.iter().find(|(l, _)| *l == lang) else {
        return Vec::new();
    };
    sources
        .iter()
        .flat_map(|source| source.lines())
        .filter(|line| !line.starts_with(['#', ' ', '\t', '.', '*', '[']) && line.contains(" ="))
        .filter_map(|line| line.split(" =").next())
        .map(|key| key.trim().to_string())
        .collect()
}

/// The message `key` in `lang` with `args`, falling back to English, then to the key itself
/// (so a missing message shows up in a page instead of breaking it; tests catch it).
pub fn translate(lang: &str, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let Ok(bundles) = BUNDLES.as_ref() else {
        return key.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    for candidate in [negotiate(lang), FALLBACK] {
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

/// Whether `key` has a message in `lang` or in the fallback language.
pub fn has(lang: &str, key: &str) -> bool {
    BUNDLES.as_ref().is_ok_and(|bundles| {
        [negotiate(lang), FALLBACK]
            .iter()
            .any(|l| bundles.get(l).is_some_and(|b| b.has_message(key)))
    })
}

/// Checks the catalogues parse; called at start-up.
pub fn check() -> Result<usize, String> {
    BUNDLES.as_ref().map(|b| b.len()).map_err(Clone::clone)
}

/// The handlebars helper behind `{{t "key" name=value}}`, escaped as the registry escapes any
/// `{{value}}` (HTML pages and email bodies escape, text emails do not).
pub fn register_helper(hb: &mut handlebars::Handlebars<'_>) {
    hb.register_helper("t", Box::new(translate_helper));
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
    let lang = ctx
        .data()
        .get("lang")
        .and_then(|v| v.as_str())
        .unwrap_or(FALLBACK);
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

    #[test]
    fn catalogues_parse_and_every_language_has_every_key() {
        assert_eq!(check().unwrap(), CATALOGUES.len());
        let english = keys("en");
        assert!(!english.is_empty());
        for lang in languages() {
            let mut theirs = keys(lang);
            theirs.sort();
            let mut expected = english.clone();
            expected.sort();
            assert_eq!(
                theirs, expected,
                "locales/{lang}.ftl must have exactly the keys of en.ftl"
            );
        }
    }

    #[test]
    fn readers_get_their_language_then_the_study_s_then_english() {
        assert_eq!(for_reader(&[Some("fr"), Some("en")]), "fr");
        assert_eq!(for_reader(&[Some("fr-CA"), Some("en")]), "fr");
        assert_eq!(for_reader(&[Some("sw"), Some("fr")]), "fr");
        assert_eq!(for_reader(&[None, Some("de")]), "en");
    }

    #[test]
    fn falls_back_to_english_then_to_the_key() {
        assert_eq!(translate("fr", "skip-to-content", &[]), "Aller au contenu");
        assert_eq!(translate("fr-CA", "skip-to-content", &[]), "Aller au contenu");
        assert_eq!(translate("sw", "skip-to-content", &[]), "Skip to content");
        assert_eq!(translate("fr", "no-such-key", &[]), "no-such-key");
        assert_eq!(negotiate("FR_be"), "fr");
    }
}
