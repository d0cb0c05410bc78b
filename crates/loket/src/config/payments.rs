//! `[payments]`: online payment through a payment provider. Off unless configured; `mollie`
//! talks to Mollie's API with the account's key, `demo` to the Mollie-compatible test provider
//! Loket mounts at `/demo-psp` (no money moves; for trying Loket and for its demo).

use std::sync::Arc;

use loket_app::online::OnlineSettings;
use loket_payments::{MollieClient, MollieConfig};

/// Where the local test provider is mounted in Loket's own server.
pub const DEMO_PSP_PATH: &str = "/demo-psp";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Provider {
    #[default]
    Off,
    Mollie,
    Demo,
}

#[derive(Debug, Clone, Default)]
pub struct Payments {
    pub provider: Provider,
    /// `live_…` or `test_…` (secret: prefer LOKET_PAYMENTS_MOLLIE_API_KEY).
    pub mollie_api_key: Option<String>,
    /// Mollie's API base (`https://api.mollie.com/v2` unless a proxy is in between).
    pub mollie_api_url: Option<String>,
    /// The signing secret of next-gen (signed) webhooks.
    pub webhook_secret: Option<String>,
    /// Method ids offered (empty: all of the account's).
    pub methods: Vec<String>,
    /// Names shown for methods: (id, label).
    pub labels: Vec<(String, String)>,
}

impl Payments {
    /// The provider client and settings for the services, or `None` when online payment is off.
    pub fn settings(&self, public_url: &str) -> anyhow::Result<Option<Arc<OnlineSettings>>> {
        let (key, url) = match self.provider {
            Provider::Off => return Ok(None),
            Provider::Mollie => (
                self.mollie_api_key.clone().unwrap_or_default(),
                self.mollie_api_url.clone().unwrap_or_else(|| MollieConfig::DEFAULT_BASE_URL.to_string()),
            ),
            Provider::Demo => ("test_loket_demo".to_string(), format!("{}{DEMO_PSP_PATH}/v2", public_url.trim_end_matches('/'))),
        };
        let client = MollieClient::new(MollieConfig::new(key).with_base_url(url)).map_err(|e| anyhow::anyhow!("payments: {e}"))?;
        Ok(Some(Arc::new(OnlineSettings {
            provider: Arc::new(client),
            provider_name: "mollie".into(),
            webhook_secret: self.webhook_secret.clone(),
            methods: self.methods.clone(),
            labels: self.labels.clone(),
        })))
    }
}

/// `ideal=iDEAL | Wero; paypal=PayPal` → pairs; a part without `=` is refused.
pub fn parse_labels(text: &str) -> Result<Vec<(String, String)>, String> {
    text.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|part| {
            let (id, label) = part.split_once('=').ok_or_else(|| format!("`{part}` is not method=label"))?;
            let (id, label) = (id.trim(), label.trim());
            if id.is_empty() || label.is_empty() || label.chars().count() > 60 {
                return Err(format!("`{part}`: give a method id and a label of at most 60 characters"));
            }
            Ok((id.to_string(), label.to_string()))
        })
        .collect()
}

/// A comma-separated list of method ids (letters, digits, `_`).
pub fn parse_methods(text: &str) -> Result<Vec<String>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(|m| {
            if m.len() <= 40 && m.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                Ok(m.to_string())
            } else {
                Err(format!("`{m}` is not a method id (e.g. ideal, creditcard, bancontact, paypal)"))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_methods_read_or_name_the_bad_part() {
        assert_eq!(
            parse_labels("ideal=iDEAL | Wero; paypal = PayPal").unwrap(),
            [("ideal".to_string(), "iDEAL | Wero".to_string()), ("paypal".to_string(), "PayPal".to_string())]
        );
        assert!(parse_labels("ideal").unwrap_err().contains("`ideal`"));
        assert_eq!(parse_methods("ideal, creditcard").unwrap(), ["ideal", "creditcard"]);
        assert!(parse_methods("ideal, <script>").unwrap_err().contains("<script>"));
    }
}
