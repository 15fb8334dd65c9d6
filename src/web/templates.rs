//! Handlebars templates embedded in the binary (templates/), registered once, in strict mode so
//! that a misspelt variable is an error in tests rather than a silent blank on a page.

use std::sync::LazyLock;

use handlebars::Handlebars;
use rust_embed::RustEmbed;
use serde::Serialize;

#[derive(RustEmbed)]
#[folder = "templates/"]
#[include = "*.hbs"]
struct TemplateFiles;

static REGISTRY: LazyLock<Result<Handlebars<'static>, String>> = LazyLock::new(build);

fn build() -> Result<Handlebars<'static>, String> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.set_dev_mode(false);
    crate::i18n::register_helper(&mut hb);
    for path in TemplateFiles::iter() {
        let Some(name) = path.strip_suffix(".hbs") else {
            continue;
        };
        let file = TemplateFiles::get(&path).ok_or_else(|| format!("template {path} vanished"))?;
        let source = std::str::from_utf8(&file.data).map_err(|e| format!("template {path}: {e}"))?;
        hb.register_template_string(name, source)
            .map_err(|e| format!("template {path}: {e}"))?;
    }
    Ok(hb)
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(String);

impl TemplateError {
    pub fn new(message: impl Into<String>) -> Self {
        TemplateError(message.into())
    }
}

/// Renders `name` (a path under templates/ without `.hbs`, e.g. `pages/home`).
pub fn render<T: Serialize>(name: &str, context: &T) -> Result<String, TemplateError> {
    let registry = REGISTRY.as_ref().map_err(|e| TemplateError(e.clone()))?;
    registry
        .render(name, context)
        .map_err(|e| TemplateError(format!("{name}: {e}")))
}

/// Every registered template name; tests render each one.
pub fn names() -> Vec<String> {
    match REGISTRY.as_ref() {
        Ok(hb) => {
            let mut names: Vec<String> = hb.get_templates().keys().cloned().collect();
            names.sort();
            names
        }
        Err(_) => Vec::new(),
    }
}

/// Fails at start-up, not on the first request, when a template does not compile.
pub fn check() -> Result<usize, TemplateError> {
    REGISTRY
        .as_ref()
        .map(|hb| hb.get_templates().len())
        .map_err(|e| TemplateError(e.clone()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_compiles() {
        assert!(super::check().unwrap() >= 2);
    }

    #[test]
    fn strict_mode_refuses_missing_variables() {
        let err = super::render("pages/error", &serde_json::json!({})).unwrap_err();
        assert!(err.to_string().contains("pages/error"), "{err}");
    }
}
