//! The chrome every page shares: the stylesheet links, the header with the menu, the user and
//! the language switch, and the footer with the provider's details. Written once, as askama
//! templates (`templates/layout/{links,top,foot}.html`), and used by both kinds of page:
//!
//! - the pages minijinja renders (most of them) get the three parts as ready HTML from
//!   [`Chrome::parts`], which `layout/base.html.j2` puts around their blocks;
//! - the pages compiled by askama (the ones served most: the dashboard, a service with its usage)
//!   extend `layout/page.html`, which includes the same three templates.
//!
//! Compiled, the chrome costs a page a few thousand instructions instead of the tens of thousands
//! minijinja spent looking each value up.

use std::sync::{Arc, OnceLock};

use askama::Template;
use loket_domain::Language;
use loket_domain::provider::ProviderIdentity;
use loket_store::accounts::Session;

use crate::AppState;
use crate::http::brand::Brand;

/// What the chrome of one page shows.
pub(crate) struct Chrome {
    pub lang: Language,
    pub texts: &'static Texts,
    pub asset_version: &'static str,
    pub brand: Arc<Brand>,
    pub provider: Arc<ProviderIdentity>,
    pub user: Option<User>,
    /// The user is staff who may work the helpdesk (and the helpdesk is on).
    pub staff_helpdesk: bool,
}

/// The signed-in user as the header shows them.
pub(crate) struct User {
    pub name: String,
    pub csrf: String,
    /// The menu's `<li>` items ([`crate::http::render::menu`]), HTML.
    pub menu: String,
}

/// The chrome's own texts in one language: the same on every page, looked up once per language
/// and process.
pub(crate) struct Texts {
    pub skip: Arc<str>,
    pub main: Arc<str>,
    pub language: Arc<str>,
    pub signin: Arc<str>,
    pub signout: Arc<str>,
    pub coc: Arc<str>,
    pub vat: Arc<str>,
    pub powered: Arc<str>,
}

fn texts(lang: Language) -> &'static Texts {
    static BUILT: [OnceLock<Texts>; 3] = [const { OnceLock::new() }; 3];
    BUILT[lang.index()].get_or_init(|| {
        let t = |key: &str| loket_i18n::t_shared(lang, key);
        Texts {
            skip: t("nav-skip"),
            main: t("nav-main"),
            language: t("nav-language"),
            signin: t("signin-title"),
            signout: t("signout"),
            coc: t("label-coc"),
            vat: t("label-vat"),
            powered: t("footer-powered"),
        }
    })
}

impl Chrome {
    /// The chrome of the page at `path` for `session` (none: a visitor) in `lang`.
    pub fn new(state: &AppState, lang: Language, session: Option<&Session>, path: &str) -> Chrome {
        let role = session.and_then(|s| s.user.staff_role);
        let staff_helpdesk = state.app.helpdesk.is_some() && role.is_some_and(|r| r.can(loket_domain::access::StaffAction::ManageHelpdesk));
        let user = session.map(|s| {
            let staff_monitoring = role.is_some_and(|r| r.can(loket_domain::access::StaffAction::ViewMonitoring));
            User {
                name: s.user.name.clone(),
                csrf: s.csrf_token.clone(),
                menu: crate::http::render::menu(lang, s, path, state.app.helpdesk.is_some(), staff_helpdesk, staff_monitoring),
            }
        });
        Chrome {
            lang,
            texts: texts(lang),
            asset_version: crate::http::render::asset_version(),
            brand: state.brand.clone(),
            provider: state.provider.clone(),
            user,
            staff_helpdesk,
        }
    }

    /// The links, the header and the footer as HTML, for a page minijinja renders.
    pub fn parts(&self) -> Result<[String; 3], askama::Error> {
        Ok([Links { chrome: self }.render()?, Top { chrome: self }.render()?, Foot { chrome: self }.render()?])
    }
}

#[derive(Template)]
#[template(path = "layout/links.html")]
struct Links<'a> {
    chrome: &'a Chrome,
}

#[derive(Template)]
#[template(path = "layout/top.html")]
struct Top<'a> {
    chrome: &'a Chrome,
}

#[derive(Template)]
#[template(path = "layout/foot.html")]
struct Foot<'a> {
    chrome: &'a Chrome,
}

/// Texts for the pages askama compiles, from the one translation mechanism (`loket_i18n`): a
/// page's template calls `t("key")`, `tk(prefix, name)`, or `t1("key", "name", value)` and
/// `t2(…)` for a message with arguments, as minijinja's templates call `t("key", name=value)`;
/// a message with more arguments is written by the page's code.
pub(crate) trait Translate {
    fn lang(&self) -> Language;

    fn t(&self, key: &str) -> Arc<str> {
        loket_i18n::t_shared(self.lang(), key)
    }

    /// The text of the key `prefix` + `name`, e.g. `tk("billing-state-", state)`.
    fn tk(&self, prefix: &str, name: &str) -> Arc<str> {
        let mut key = String::with_capacity(prefix.len() + name.len());
        key.push_str(prefix);
        key.push_str(name);
        loket_i18n::t_shared(self.lang(), &key)
    }

    fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        loket_i18n::t_args(self.lang(), key, &[(name, &value.to_string())])
    }

    fn t2(&self, key: &str, n1: &str, v1: impl std::fmt::Display, n2: &str, v2: impl std::fmt::Display) -> String {
        loket_i18n::t_args(self.lang(), key, &[(n1, &v1.to_string()), (n2, &v2.to_string())])
    }
}
