//! `loket.toml`: every option is declared once in [`FIELDS`] (`fields.rs`: key, meaning, how to
//! read it), and both the file and the `LOKET_*` environment overrides are read through that
//! one table.
//! `loket config check` reports every wrong field with its line, not only the first.

mod fields;
pub mod helpdesk;
pub mod payments;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use loket_domain::ProviderIdentity;
use loket_domain::schedule::DailyAt;
use loket_mail::{SmtpSecurity, SmtpSettings};

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// Empty: the embedded SQLite database in the data directory.
    pub database_url: Option<String>,
    pub database_max_connections: u32,
    /// Behind a reverse proxy: take the client's address from `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    /// The deadline for a request's header, and for an idle keep-alive connection.
    pub header_timeout: Duration,
    pub public_url: String,
    /// Whether `server.public_url` was given (not the default).
    pub public_url_set: bool,
    pub provider: ProviderIdentity,
    /// Sender of all mail; default: the provider's trading name and e-mail address.
    pub mail_from: Option<String>,
    /// SMTP is used when `smtp.host` is not empty; see [`Config::smtp`].
    pub smtp_settings: SmtpSettings,
    pub jobs_workers: usize,
    pub jobs_lease: Duration,
    pub jobs_poll_interval: Duration,
    pub jobs_retention_days: u32,
    pub schedule_housekeeping: DailyAt,
    /// `None`: no scheduled billing run (`schedule.billing_run = "off"`).
    pub schedule_billing_run: Option<DailyAt>,
    pub log_format: LogFormat,
    /// Customer-card fields whose change staff review first (a change request).
    pub reviewed_fields: Vec<String>,
    /// Staff must sign in with a second step (TOTP).
    pub staff_require_second_factor: bool,
    /// Lost-access scans (identity documents) are deleted this many days after they were sent.
    pub lost_access_retention_days: u32,
    /// FatturaPA settings (regime, schema version).
    pub einvoicing: loket_documents::EInvoicing,
    /// E-invoices issued on or after this date are sent out (`einvoicing.transmit_from`).
    pub transmit_from: Option<jiff::civil::Date>,
    /// The folder an SDI intermediary collects FatturaPA files from.
    pub transmit_sdi_folder: Option<PathBuf>,
    /// The folder a Peppol access point collects UBL files from.
    pub transmit_peppol_folder: Option<PathBuf>,
    /// `#rrggbb` for links, buttons and focus rings (checked readable on white).
    pub branding_accent: Option<String>,
    /// The logo file as configured (relative to the configuration file's directory).
    pub branding_logo: Option<PathBuf>,
    /// The logo as read and checked at start-up, with its content type.
    pub branding_logo_file: Option<(Vec<u8>, &'static str)>,
    /// The logo file for documents (PNG or JPEG), when the page logo is an SVG.
    pub branding_document_logo: Option<PathBuf>,
    /// The logo on PDFs, prepared once: `branding.document_logo`, else `branding.logo` when it is a PNG.
    pub document_logo: Option<std::sync::Arc<loket_pdf::Logo>>,
    /// Online payment (`[payments]`).
    pub payments: payments::Payments,
    /// SEPA direct debit (`[sepa]`): creditor identifier, file version, dates, what is collected.
    pub sepa: loket_app::billing::sepa::SepaSettings,
    /// The helpdesk (`[helpdesk]`).
    pub helpdesk: helpdesk::Helpdesk,
    /// Monitoring (`[monitoring]`): alerts, keeping times, the flap window.
    pub monitoring: loket_app::monitoring::MonitoringSettings,
    /// Whether this node checks monitors, and how many checks it runs at once.
    pub monitoring_enabled: bool,
    pub monitoring_concurrency: usize,
    /// Certificates (DER) checks trust besides the public roots (`monitoring.ca_file`).
    pub monitoring_roots: Vec<Vec<u8>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./loket-data"),
            database_url: None,
            database_max_connections: 16,
            trust_forwarded_for: false,
            header_timeout: Duration::from_secs(60),
            public_url: "http://127.0.0.1:8080".into(),
            public_url_set: false,
            provider: ProviderIdentity::demo(),
            mail_from: None,
            smtp_settings: SmtpSettings {
                host: String::new(),
                port: 587,
                security: SmtpSecurity::StartTls,
                username: None,
                password: None,
                timeout: Duration::from_secs(30),
                accept_invalid_certs: false,
            },
            jobs_workers: 4,
            jobs_lease: Duration::from_secs(300),
            jobs_poll_interval: Duration::from_millis(500),
            jobs_retention_days: 30,
            schedule_housekeeping: "03:30".parse().expect("static time"),
            schedule_billing_run: Some("06:00".parse().expect("static time")),
            log_format: LogFormat::Text,
            reviewed_fields: loket_domain::card_edit::DEFAULT_REVIEWED_FIELDS.iter().map(|f| f.to_string()).collect(),
            staff_require_second_factor: false,
            lost_access_retention_days: 30,
            einvoicing: loket_documents::EInvoicing::default(),
            transmit_from: None,
            transmit_sdi_folder: None,
            transmit_peppol_folder: None,
            branding_accent: None,
            branding_logo: None,
            branding_logo_file: None,
            branding_document_logo: None,
            document_logo: None,
            payments: payments::Payments::default(),
            sepa: loket_app::billing::sepa::SepaSettings::default(),
            helpdesk: helpdesk::Helpdesk::default(),
            monitoring: loket_app::monitoring::MonitoringSettings::default(),
            monitoring_enabled: true,
            monitoring_concurrency: 256,
            monitoring_roots: Vec::new(),
        }
    }
}

impl Config {
    /// The database URL to use: the configured one, or SQLite in the data directory.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("loket.db").display()))
    }

    /// The SMTP server to deliver through; `None` writes `.eml` files to [`Config::mail_out_dir`].
    pub fn smtp(&self) -> Option<&SmtpSettings> {
        Some(&self.smtp_settings).filter(|s| !s.host.is_empty())
    }

    /// Uploaded files (lost-access scans), outside the database.
    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }

    pub fn mail_out_dir(&self) -> PathBuf {
        self.data_dir.join("mail-out")
    }

    /// How documents are rendered: the letterhead in the brand's colour, the e-invoicing settings.
    pub fn document_settings(&self) -> loket_app::documents::DocumentSettings {
        let accent = self.branding_accent.as_deref().and_then(|c| {
            let hex = c.strip_prefix('#').filter(|h| h.len() == 6)?;
            let v = u32::from_str_radix(hex, 16).ok()?;
            Some([(v >> 16) as u8, (v >> 8) as u8, v as u8])
        });
        let mut letterhead = loket_pdf::Letterhead { logo: self.document_logo.clone(), ..Default::default() };
        if let Some(accent) = accent {
            letterhead.accent = accent;
        }
        loket_app::documents::DocumentSettings { letterhead, einvoicing: self.einvoicing.clone() }
    }

    /// Which e-invoices go out, from when, through which transmitter.
    pub fn transmit_settings(&self) -> loket_app::transmit::TransmitSettings {
        use loket_app::transmit::{Channel, FolderTransmitter, Transmitter};
        let mut transmitters: Vec<(Channel, std::sync::Arc<dyn Transmitter>)> = Vec::new();
        for (channel, dir) in [(Channel::Sdi, &self.transmit_sdi_folder), (Channel::Peppol, &self.transmit_peppol_folder)] {
            if let Some(dir) = dir {
                transmitters.push((channel, std::sync::Arc::new(FolderTransmitter { dir: dir.clone() })));
            }
        }
        loket_app::transmit::TransmitSettings { from: self.transmit_from, transmitters }
    }

    pub fn mail_from(&self) -> String {
        self.mail_from
            .clone()
            .unwrap_or_else(|| format!("{} <{}>", self.provider.trading_name.replace(['<', '>', '"'], ""), self.provider.email))
    }
}

pub use fields::{FIELDS, Raw};

/// One problem found in the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `loket.toml:12` or `LOKET_LISTEN`, when known.
    pub location: Option<String>,
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.location {
            Some(loc) => write!(f, "{loc}: {}: {}", self.key, self.message),
            None => write!(f, "{}: {}", self.key, self.message),
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|b| *b == b'\n').count() + 1
}

/// Applies a TOML document to `config`, collecting every problem.
pub fn apply_toml(config: &mut Config, text: &str, file: &Path, problems: &mut Vec<Problem>) {
    let first = problems.len();
    apply_toml_unsorted(config, text, file, problems);
    // Report in the order of the file.
    problems[first..].sort_by_key(|p| p.location.as_deref().and_then(|l| l.rsplit(':').next()?.parse::<usize>().ok()).unwrap_or(0));
}

fn apply_toml_unsorted(config: &mut Config, text: &str, file: &Path, problems: &mut Vec<Problem>) {
    let at = |offset: usize| Some(format!("{}:{}", file.display(), line_of(text, offset)));
    let doc = match toml::de::DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let location = e.span().map(|s| s.start).and_then(at).or_else(|| Some(file.display().to_string()));
            problems.push(Problem { location, key: "syntax".into(), message: e.message().to_string() });
            return;
        }
    };
    for (section, value) in doc.get_ref().iter() {
        let section_name = section.get_ref().as_ref();
        let Some(table) = value.get_ref().as_table() else {
            problems.push(Problem {
                location: at(section.span().start),
                key: section_name.to_string(),
                message: "expected a [section]".into(),
            });
            continue;
        };
        if !FIELDS.iter().any(|f| f.key.split('.').next() == Some(section_name)) {
            let sections: Vec<_> = section_names();
            problems.push(Problem {
                location: at(section.span().start),
                key: format!("[{section_name}]"),
                message: format!("unknown section; known sections: {}", sections.join(", ")),
            });
            continue;
        }
        for (name, value) in table.iter() {
            let key = format!("{section_name}.{}", name.get_ref().as_ref());
            let location = at(name.span().start);
            let Some(field) = FIELDS.iter().find(|f| f.key == key) else {
                let hint = closest(&key).map(|k| format!("; did you mean `{k}`?")).unwrap_or_default();
                problems.push(Problem { location, key, message: format!("unknown option{hint}") });
                continue;
            };
            let raw = match value.get_ref() {
                toml::de::DeValue::String(s) => Raw::Str(s.as_ref()),
                toml::de::DeValue::Integer(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                    Ok(n) => Raw::Int(n),
                    Err(_) => Raw::Other("an out-of-range number"),
                },
                toml::de::DeValue::Boolean(b) => Raw::Bool(*b),
                toml::de::DeValue::Float(_) => Raw::Other("a decimal number"),
                toml::de::DeValue::Datetime(_) => Raw::Other("a date"),
                toml::de::DeValue::Array(_) => Raw::Other("a list"),
                toml::de::DeValue::Table(_) => Raw::Other("a table"),
            };
            if let Err(message) = (field.apply)(config, &raw) {
                problems.push(Problem { location, key, message });
            }
        }
    }
}

/// Applies `LOKET_*` environment variables (read through `get`, so tests need not touch the
/// process environment).
pub fn apply_env(config: &mut Config, get: impl Fn(&str) -> Option<String>, problems: &mut Vec<Problem>) {
    for field in FIELDS {
        let var = field.env_var();
        if let Some(value) = get(&var)
            && let Err(message) = (field.apply)(config, &Raw::Str(&value))
        {
            problems.push(Problem { location: Some(var), key: field.key.to_string(), message });
        }
    }
}

/// The e-invoice folders relative to the configuration file's directory, like the logo.
fn resolve_folders(config: &mut Config, file: Option<&Path>) {
    let dir = file.and_then(Path::parent);
    for folder in [&mut config.transmit_sdi_folder, &mut config.transmit_peppol_folder].into_iter().flatten() {
        if let Some(dir) = dir
            && folder.is_relative()
        {
            *folder = dir.join(&*folder);
        }
    }
}

/// Reads and checks `branding.logo` (a path relative to the configuration file's directory).
fn read_logo(config: &mut Config, file: Option<&Path>, problems: &mut Vec<Problem>) {
    let Some(path) = config.branding_logo.clone() else { return };
    let path = match file.and_then(Path::parent) {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path,
    };
    let read = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    match read.and_then(|bytes| loket_web::brand::logo_type(&bytes).map(|kind| (bytes, kind))) {
        Ok(logo) => config.branding_logo_file = Some(logo),
        Err(message) => problems.push(Problem { location: None, key: "branding.logo".into(), message }),
    }
}

/// Prepares the logo printed on PDFs: `branding.document_logo` (PNG or JPEG), else the page
/// logo when it is a PNG (an SVG page logo leaves documents without one, unless a document
/// logo is given).
fn read_document_logo(config: &mut Config, file: Option<&Path>, problems: &mut Vec<Problem>) {
    let prepared = match config.branding_document_logo.clone() {
        Some(path) => {
            let path = match file.and_then(Path::parent) {
                Some(dir) if path.is_relative() => dir.join(path),
                _ => path,
            };
            std::fs::read(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
                .and_then(|bytes| loket_pdf::Logo::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display())))
                .map(Some)
                .map_err(|message| ("branding.document_logo", message))
        }
        None => match &config.branding_logo_file {
            Some((bytes, "image/png")) => loket_pdf::Logo::from_bytes(bytes).map(Some).map_err(|e| ("branding.logo", e.to_string())),
            _ => Ok(None),
        },
    };
    match prepared {
        Ok(logo) => config.document_logo = logo.map(std::sync::Arc::new),
        Err((key, message)) => problems.push(Problem { location: None, key: key.into(), message }),
    }
}

/// Rules across fields, checked after everything is read.
pub fn check_whole(config: &Config, problems: &mut Vec<Problem>) {
    let s = &config.smtp_settings;
    if s.host.is_empty() && (s.username.is_some() || s.password.is_some()) {
        problems.push(Problem {
            location: None,
            key: "mail.smtp_host".into(),
            message: "SMTP credentials are set but mail.smtp_host is empty".into(),
        });
    }
    if s.username.is_some() != s.password.is_some() {
        problems.push(Problem {
            location: None,
            key: "mail.smtp_username".into(),
            message: "give both mail.smtp_username and mail.smtp_password, or neither".into(),
        });
    }
    let e = &config.einvoicing;
    if !loket_documents::fatturapa::regime_allowed(&e.regime_fiscale, e.fatturapa_version) {
        problems.push(Problem {
            location: None,
            key: "einvoicing.regime_fiscale".into(),
            message: format!("{} needs einvoicing.fatturapa_version = \"1.2.3\"", e.regime_fiscale),
        });
    }
    let folders = config.transmit_sdi_folder.is_some() || config.transmit_peppol_folder.is_some();
    if folders && config.transmit_from.is_none() {
        problems.push(Problem {
            location: None,
            key: "einvoicing.transmit_from".into(),
            message: "say from which issue date e-invoices are sent (YYYY-MM-DD), so older documents are not sent again".into(),
        });
    }
    if config.transmit_from.is_some() && !folders {
        problems.push(Problem {
            location: None,
            key: "einvoicing.transmit_from".into(),
            message: "set einvoicing.sdi_folder or einvoicing.peppol_folder: where the e-invoices go".into(),
        });
    }
    if config.transmit_sdi_folder.is_some() && config.provider.address.country.to_string() != "IT" {
        problems.push(Problem {
            location: None,
            key: "einvoicing.sdi_folder".into(),
            message: format!("the SDI takes invoices of Italian providers, and provider.country is {}", config.provider.address.country),
        });
    }
    let p = &config.payments;
    if p.provider == payments::Provider::Mollie
        && !p.mollie_api_key.as_deref().is_some_and(|k| k.starts_with("live_") || k.starts_with("test_"))
    {
        problems.push(Problem {
            location: None,
            key: "payments.mollie_api_key".into(),
            message: "payments.provider = \"mollie\" needs the account's API key (live_… or test_…), best as LOKET_PAYMENTS_MOLLIE_API_KEY"
                .into(),
        });
    }
    if let (Some(iban), Some(bic)) = (&config.provider.iban, &config.provider.bic)
        && iban.get(..2) != bic.get(4..6)
    {
        problems.push(Problem {
            location: None,
            key: "provider.bic".into(),
            message: format!("BIC {bic} is of another country than IBAN {iban}"),
        });
    }
}

fn section_names() -> Vec<&'static str> {
    let mut s: Vec<&str> = FIELDS.iter().filter_map(|f| f.key.split('.').next()).collect();
    s.dedup();
    s
}

/// The known key nearest to a misspelt one (by edit distance), if close enough.
fn closest(key: &str) -> Option<&'static str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
            }
            prev = cur;
        }
        prev[b.len()]
    }
    FIELDS.iter().map(|f| (distance(key, f.key), f.key)).filter(|(d, _)| *d <= 3).min().map(|(_, k)| k)
}

/// Loads the configuration: defaults, then the file (if any), then the environment.
pub fn load(file: Option<&Path>, env: impl Fn(&str) -> Option<String>) -> Result<Config, Vec<Problem>> {
    let mut config = Config::default();
    let mut problems = Vec::new();
    if let Some(path) = file {
        match std::fs::read_to_string(path) {
            Ok(text) => apply_toml(&mut config, &text, path, &mut problems),
            Err(e) => problems.push(Problem {
                location: Some(path.display().to_string()),
                key: "file".into(),
                message: format!("cannot read: {e}"),
            }),
        }
    }
    apply_env(&mut config, env, &mut problems);
    read_logo(&mut config, file, &mut problems);
    read_document_logo(&mut config, file, &mut problems);
    resolve_folders(&mut config, file);
    check_whole(&config, &mut problems);
    if problems.is_empty() { Ok(config) } else { Err(problems) }
}

/// Variables that start with `LOKET_` but set no field: the configuration file's own, and the
/// test suite's (`LOKET_TEST_*`, `LOKET_REQUIRE_*`, …).
const OTHER_VARS: [&str; 3] = ["LOKET_CONFIG", "LOKET_REFERENCE_DIR", "LOKET_BIN"];
const OTHER_PREFIXES: [&str; 2] = ["LOKET_TEST_", "LOKET_REQUIRE_"];

/// The `LOKET_*` variables among `names` that no field reads (a misspelt one is silently
/// ignored otherwise), each with the field variable it is closest to when that is a likely typo.
pub fn unknown_env_vars(names: impl IntoIterator<Item = String>) -> Vec<(String, Option<String>)> {
    let known: Vec<String> = FIELDS.iter().map(|f| f.env_var()).collect();
    let mut unknown: Vec<(String, Option<String>)> = names
        .into_iter()
        .filter(|n| n.starts_with("LOKET_"))
        .filter(|n| !known.contains(n) && !OTHER_VARS.contains(&n.as_str()) && !OTHER_PREFIXES.iter().any(|p| n.starts_with(p)))
        .map(|n| {
            let near = known
                .iter()
                .map(|k| (strsim::damerau_levenshtein(&n, k), k))
                .filter(|(d, k)| *d <= 3.max(k.len() / 6))
                .min_by_key(|(d, _)| *d)
                .map(|(_, k)| k.clone());
            (n, near)
        })
        .collect();
    unknown.sort();
    unknown
}

/// One warning line per variable of [`unknown_env_vars`].
pub fn unknown_env_warnings() -> Vec<String> {
    unknown_env_vars(std::env::vars_os().filter_map(|(k, _)| k.into_string().ok()))
        .into_iter()
        .map(|(name, near)| match near {
            Some(near) => format!("{name} is not a setting Loket reads: did you mean {near}? (`loket config options` lists them)"),
            None => format!("{name} is not a setting Loket reads (`loket config options` lists them)"),
        })
        .collect()
}

/// The provider fields that still hold the demo company's values (its VAT number, IBAN, …):
/// a configuration that leaves `[provider]` out, or a field of it, invoices as the demo.
pub fn demo_provider_fields(provider: &loket_domain::ProviderIdentity) -> Vec<&'static str> {
    let demo = loket_domain::ProviderIdentity::demo();
    [
        ("provider.trading_name", provider.trading_name == demo.trading_name),
        ("provider.legal_name", provider.legal_name == demo.legal_name),
        ("provider.vat_number", provider.vat_number.is_some() && provider.vat_number == demo.vat_number),
        ("provider.coc_number", provider.coc_number.is_some() && provider.coc_number == demo.coc_number),
        ("provider.iban", provider.iban.is_some() && provider.iban == demo.iban),
        ("provider.email", provider.email == demo.email),
        ("provider.street", provider.address.street == demo.address.street),
    ]
    .into_iter()
    .filter_map(|(key, same)| same.then_some(key))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_variable_is_named_with_the_one_meant() {
        let names =
            ["LOKET_LISTEN", "LOKET_LISTN", "LOKET_PROVIDER_TIMEZONE", "LOKET_TEST_PYTHON", "LOKET_CONFIG", "LOKET_WHATEVER_ELSE", "PATH"];
        let found = unknown_env_vars(names.map(String::from));
        assert_eq!(
            found,
            [
                ("LOKET_LISTN".to_string(), Some("LOKET_LISTEN".to_string())),
                ("LOKET_PROVIDER_TIMEZONE".to_string(), Some("LOKET_PROVIDER_TIME_ZONE".to_string())),
                ("LOKET_WHATEVER_ELSE".to_string(), None),
            ]
        );
    }

    fn problems_of(toml: &str, files: &[(&str, &[u8])]) -> Result<Config, Vec<Problem>> {
        let dir = tempfile_dir();
        for (name, bytes) in files {
            std::fs::write(dir.join(name), bytes).expect("write");
        }
        let path = dir.join("loket.toml");
        std::fs::write(&path, toml).expect("write");
        let out = load(Some(&path), |_| None);
        std::fs::remove_dir_all(&dir).ok();
        out
    }

    fn tempfile_dir() -> PathBuf {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("loket-config-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        dir
    }

    #[test]
    fn the_document_logo_is_read_once_and_a_wrong_one_is_named() {
        let none = problems_of("", &[]).expect("defaults");
        assert!(none.document_settings().letterhead.logo.is_none());
        let bad = problems_of("[branding]\ndocument_logo = \"logo.png\"\n", &[("logo.png", b"<svg/>")]).unwrap_err();
        assert_eq!(bad[0].key, "branding.document_logo", "{bad:?}");
        assert!(bad[0].message.contains("logo.png"), "{bad:?}");
        let missing = problems_of("[branding]\ndocument_logo = \"gone.png\"\n", &[]).unwrap_err();
        assert!(missing[0].message.contains("cannot read"), "{missing:?}");
    }

    #[test]
    fn e_invoices_are_sent_only_with_a_date_and_a_folder_and_the_sdi_only_for_italy() {
        let no_date = problems_of("[einvoicing]\npeppol_folder = \"out\"\n", &[]).unwrap_err();
        assert_eq!(no_date[0].key, "einvoicing.transmit_from");
        let no_folder = problems_of("[einvoicing]\ntransmit_from = \"2027-01-01\"\n", &[]).unwrap_err();
        assert!(no_folder[0].message.contains("sdi_folder"), "{no_folder:?}");
        let bad_date = problems_of("[einvoicing]\ntransmit_from = \"1 januari\"\npeppol_folder = \"out\"\n", &[]).unwrap_err();
        assert!(bad_date[0].message.contains("YYYY-MM-DD"), "{bad_date:?}");
        let dutch_sdi = problems_of("[einvoicing]\ntransmit_from = \"2027-01-01\"\nsdi_folder = \"sdi\"\n", &[]).unwrap_err();
        assert_eq!(dutch_sdi[0].key, "einvoicing.sdi_folder", "{dutch_sdi:?}");
        let ok = problems_of("[einvoicing]\ntransmit_from = \"2027-01-01\"\npeppol_folder = \"out\"\n", &[]).expect("valid");
        assert!(ok.transmit_settings().is_on());
        assert!(ok.transmit_peppol_folder.expect("folder").is_absolute(), "relative to the file's directory");
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn defaults_need_no_file() {
        let c = load(None, no_env).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert!(c.database_url().starts_with("sqlite://"));
        assert_eq!(c.mail_from(), "Loket Demo Hosting <administratie@demo.loket.test>");
    }

    #[test]
    fn the_example_file_names_every_option() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let text = std::fs::read_to_string(root.join("loket.example.toml")).unwrap();
        let mut section = "";
        let mut named = Vec::new();
        for line in text.lines() {
            let line = line.trim_start_matches("# ").trim();
            if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = s;
            } else if let Some((key, _)) = line.split_once(" = ") {
                named.push(format!("{section}.{key}"));
            }
        }
        let missing: Vec<&str> = FIELDS.iter().map(|f| f.key).filter(|k| !named.iter().any(|n| n == k)).collect();
        assert!(missing.is_empty(), "loket.example.toml lacks {missing:?}");
    }

    #[test]
    fn example_files_are_valid() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = vec![root.join("loket.example.toml")];
        let mut billing_files = Vec::new();
        for entry in std::fs::read_dir(root.join("examples/providers")).unwrap() {
            let path = entry.unwrap().path();
            if path.to_string_lossy().ends_with(".billing.toml") {
                billing_files.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
        for f in files {
            match load(Some(&f), no_env) {
                Err(p) => panic!("{}: {p:?}", f.display()),
                // A logo named by a provider's file is read and recognised.
                Ok(c) if c.branding_logo.is_some() => assert_eq!(c.branding_logo_file.map(|l| l.1), Some("image/svg+xml")),
                Ok(_) => {}
            }
        }
        // Every provider has a billing file, and it is valid.
        assert_eq!(billing_files.len(), 5);
        for f in billing_files {
            let parsed = loket_app::billing::file::BillingFile::parse(&std::fs::read_to_string(&f).unwrap()).unwrap();
            assert_eq!(parsed.check(loket_domain::Currency::Eur), vec![], "{}", f.display());
        }
    }

    #[test]
    fn names_every_wrong_field_with_its_line() {
        let text = "[server]\nlisten = \"nope\"\n\n[provider]\ncountry = \"XX\"\niban = \"NL00ABNA0000000000\"\ntime_zone = \"Mars/Base\"\nvat_nummer = \"x\"\n\n[bogus]\na = 1\n[jobs]\nworkers = \"many\"\n";
        let mut c = Config::default();
        let mut problems = Vec::new();
        apply_toml(&mut c, text, Path::new("loket.toml"), &mut problems);
        let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let expect = [
            "loket.toml:2: server.listen",
            "loket.toml:5: provider.country",
            "loket.toml:6: provider.iban",
            "loket.toml:7: provider.time_zone",
            "loket.toml:8: provider.vat_nummer: unknown option; did you mean `provider.vat_number`?",
            "loket.toml:10: [bogus]",
            "loket.toml:13: jobs.workers: must be a whole number",
        ];
        assert_eq!(problems.len(), expect.len(), "{lines:#?}");
        for (line, want) in lines.iter().zip(expect) {
            assert!(line.starts_with(want), "{line} should start with {want}");
        }
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let mut problems = Vec::new();
        apply_toml(&mut Config::default(), "[server]\nlisten = \n", Path::new("x.toml"), &mut problems);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].to_string().starts_with("x.toml:2: syntax"), "{}", problems[0]);
    }

    #[test]
    fn environment_overrides_the_file() {
        let env = |k: &str| match k {
            "LOKET_LISTEN" => Some("0.0.0.0:9000".to_string()),
            "LOKET_PROVIDER_TIME_ZONE" => Some("Europe/Rome".to_string()),
            "LOKET_JOBS_WORKERS" => Some("x".to_string()),
            _ => None,
        };
        let err = load(None, env).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].location.as_deref(), Some("LOKET_JOBS_WORKERS"));
        let env = |k: &str| (k == "LOKET_PROVIDER_TIME_ZONE").then(|| "Europe/Rome".to_string());
        assert_eq!(load(None, env).unwrap().provider.time_zone, "Europe/Rome");
    }

    #[test]
    fn reviewed_fields_are_checked() {
        let env = |k: &str| (k == "LOKET_ACCOUNTS_REVIEWED_FIELDS").then(|| "street, iban".to_string());
        assert_eq!(load(None, env).unwrap().reviewed_fields, ["street", "iban"]);
        let env = |k: &str| (k == "LOKET_ACCOUNTS_REVIEWED_FIELDS").then(|| "street,vat_number".to_string());
        assert!(load(None, env).unwrap_err()[0].message.contains("`vat_number` is not an editable card field"));
    }

    #[test]
    fn smtp_needs_a_host_and_paired_credentials() {
        let env = |k: &str| (k == "LOKET_MAIL_SMTP_USERNAME").then(|| "u".to_string());
        let err = load(None, env).unwrap_err();
        let keys: Vec<_> = err.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["mail.smtp_host", "mail.smtp_username"]);
    }
}
