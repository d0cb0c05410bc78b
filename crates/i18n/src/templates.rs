//! The binding of translations into minijinja templates, shared by pages and e-mails.
//! A template calls `t("key", name=value)`, and the language comes from the template's `lang`
//! variable.

use loket_domain::Language;
use minijinja::value::Kwargs;
use minijinja::{Environment, State};

std::thread_local! {
    /// The language of the render running on this thread, when its caller said it (see
    /// [`rendering_in`]).
    static RENDERING_IN: std::cell::Cell<Option<Language>> = const { std::cell::Cell::new(None) };
}

/// Runs `render` (a template's render on this thread) with `lang` as the language of its
/// texts, so that `t()` need not look the template's `lang` up for every text: a page has
/// dozens. Renders outside it read `lang` from the template as before.
pub fn rendering_in<T>(lang: Language, render: impl FnOnce() -> T) -> T {
    struct Restore(Option<Language>);
    impl Drop for Restore {
        fn drop(&mut self) {
            RENDERING_IN.with(|l| l.set(self.0));
        }
    }
    let _restore = Restore(RENDERING_IN.with(|l| l.replace(Some(lang))));
    render()
}

/// The language of the texts of the render `state` belongs to.
fn language(state: &State) -> Language {
    RENDERING_IN
        .with(|l| l.get())
        .unwrap_or_else(|| state.lookup("lang").and_then(|v| v.as_str().and_then(|s| s.parse::<Language>().ok())).unwrap_or(Language::En))
}

fn translate(state: &State, key: &str, kwargs: Kwargs) -> Result<minijinja::Value, minijinja::Error> {
    let lang = language(state);
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
    let lang = language(state);
    crate::country_name(lang, code)
}

/// Adds `t(...)` and `country(code)` (a country's name in the reader's language) to a template
/// environment.
pub fn install(env: &mut Environment<'_>) {
    env.add_function("t", translate);
    env.add_function("country", country);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment<'static> {
        let mut env = Environment::new();
        install(&mut env);
        env.add_template("t", "{{ t('signout') }}|{{ country('NL') }}").unwrap();
        env
    }

    /// A render told its language uses it; one outside reads the template's `lang`, also
    /// after a told render on the same thread ended (or failed).
    #[test]
    fn a_render_uses_the_language_it_was_told_and_only_while_it_runs() {
        let env = env();
        let render = |lang: &str| env.get_template("t").unwrap().render(minijinja::context! { lang => lang }).unwrap();
        let plain_it = render("it");
        let plain_nl = render("nl");
        assert_ne!(plain_it, plain_nl);
        assert_eq!(rendering_in(Language::It, || render("it")), plain_it);
        // Nested: the inner language holds inside, the outer one again after.
        let (inner, outer) = rendering_in(Language::It, || (rendering_in(Language::Nl, || render("nl")), render("it")));
        assert_eq!((inner, outer), (plain_nl.clone(), plain_it.clone()));
        let _ = std::panic::catch_unwind(|| rendering_in(Language::It, || panic!("a render that fails")));
        assert_eq!(render("nl"), plain_nl);
    }
}
