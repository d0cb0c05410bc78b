//! The binding of translations into minijinja templates, shared by pages and e-mails.
//! A template calls `t("key", name=value)`, and the language comes from the template's `lang`
//! variable.

use loket_domain::Language;
use minijinja::value::Kwargs;
use minijinja::{Environment, State};

fn translate(state: &State, key: &str, kwargs: Kwargs) -> Result<minijinja::Value, minijinja::Error> {
    let lang = state.lookup("lang").and_then(|v| v.as_str().and_then(|s| s.parse::<Language>().ok())).unwrap_or(Language::En);
    if kwargs.args().next().is_none() {
        return Ok(minijinja::Value::from(crate::t_shared(lang, key)));
    }
    let mut args: Vec<(String, String)> = Vec::new();
    for name in kwargs.args() {
        let value: minijinja::Value = kwargs.get(name)?;
        args.push((name.to_string(), value.to_string()));
    }
    let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Ok(minijinja::Value::from(crate::t_args(lang, key, &refs)))
}

fn country(state: &State, code: &str) -> String {
    let lang = state.lookup("lang").and_then(|v| v.as_str().and_then(|s| s.parse::<Language>().ok())).unwrap_or(Language::En);
    crate::country_name(lang, code)
}

/// Adds `t(...)` and `country(code)` (a country's name in the reader's language) to a template
/// environment.
pub fn install(env: &mut Environment<'_>) {
    env.add_function("t", translate);
    env.add_function("country", country);
}
