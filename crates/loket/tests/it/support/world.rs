//! A provider's Loket for billing scenarios: its example configuration and billing file
//! applied, a staff token, the server up with the scheduled run off (tests run the days
//! themselves with `loket billing run --date … --until …`), and helpers to call the API.

use serde_json::{Value, json};

use super::{Server, TestEnv};

pub fn example(name: &str) -> String {
    format!("{}/../../examples/providers/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A provider's Loket: its configuration and billing file applied, a staff token, the server up
/// (with the scheduled billing run off: the test runs the days itself).
pub struct World {
    pub env: TestEnv,
    pub config: String,
    pub server: Server,
    pub token: String,
    pub http: reqwest::Client,
}

impl World {
    pub async fn new(provider: &str) -> World {
        World::with(provider, &[]).await
    }

    /// A provider's Loket with extra settings for `loket serve` (environment variables).
    pub async fn with(provider: &str, env_vars: &[(&str, String)]) -> World {
        let env = TestEnv::new().await;
        let config = example(&format!("{provider}.toml"));
        env.ok(&["--config", &config, "billing", "apply", &example(&format!("{provider}.billing.toml"))]);
        env.ok(&["--config", &config, "staff", "add", "--email", "boss@provider.test", "--role", "admin"]);
        let out = env.ok(&[
            "--config",
            &config,
            "token",
            "create",
            "--email",
            "boss@provider.test",
            "--scope",
            "customers:read,customers:write,billing:read,billing:write",
        ]);
        let token = out.lines().find(|l| l.starts_with("lkt_")).expect("a token").to_string();
        let mut vars = vec![("LOKET_SCHEDULE_BILLING_RUN", "off".to_string())];
        vars.extend(env_vars.iter().map(|(k, v)| (*k, v.clone())));
        let server = env.serve(&["--config", &config], &vars);
        World { env, config, server, token, http: reqwest::Client::new() }
    }

    /// A staff user with `role` added by the CLI (`staff add --password-stdin`) and signed in to
    /// the server's pages.
    pub async fn staff_client(&self, email: &str, role: &str) -> super::Client {
        let password = format!("{role}-password-2027");
        let mut add = self.env.cmd();
        add.args(["--config", &self.config, "staff", "add", "--email", email, "--role", role, "--password-stdin"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = add.spawn().expect("staff add");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), format!("{password}\n").as_bytes()).expect("write");
        let out = child.wait_with_output().expect("staff add");
        assert!(out.status.success(), "staff add: {}", String::from_utf8_lossy(&out.stderr));
        let mut staff = super::Client::new(&self.server);
        staff.sign_in(email, &password).await;
        staff
    }

    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self.http.request(method, self.server.url(path)).bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::PUT, path, Some(body)).await
    }

    /// The state of subscription `id`.
    pub async fn state(&self, id: i64) -> String {
        self.get(&format!("/api/v1/subscriptions/{id}")).await["state"].as_str().unwrap().to_string()
    }

    /// The kinds of customer `id`'s notifications, oldest first.
    pub async fn notes(&self, id: i64) -> Vec<Value> {
        let store = self.env.store().await;
        let mut n: Vec<Value> =
            store.notifications(id, 1000).await.unwrap().into_iter().map(|n| json!({"kind": n.kind(), "data": n.data()})).collect();
        n.reverse();
        n
    }

    pub async fn get(&self, path: &str) -> Value {
        let (status, body) = self.call(reqwest::Method::GET, path, None).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    pub async fn customer(&self, card: Value) -> i64 {
        let (status, body) = self.post("/api/v1/customers", card).await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_i64().unwrap()
    }

    pub async fn subscribe(&self, customer: i64, plan: &str, label: &str, start: &str) -> i64 {
        let (status, body) =
            self.post("/api/v1/subscriptions", json!({"customer_id": customer, "plan": plan, "label": label, "start_date": start})).await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_i64().unwrap()
    }

    pub async fn pay(&self, invoice: i64, amount: &str, on: &str) -> Value {
        let (status, body) = self
            .post("/api/v1/payments", json!({"invoice_id": invoice, "amount": amount, "method": "bank_transfer", "received_on": on}))
            .await;
        assert_eq!(status, 201, "{body}");
        body
    }

    /// `loket billing run --date FROM --until TO`.
    pub fn run(&self, from: &str, to: &str) -> String {
        self.env.ok(&["--config", &self.config, "billing", "run", "--date", from, "--until", to])
    }

    /// Every document: (number, issue date, due date, gross in cents, state), oldest first.
    pub async fn documents(&self) -> Vec<(String, String, String, i64, String)> {
        let list = self.get("/api/v1/invoices?limit=1000").await;
        let mut out: Vec<_> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["number"].as_str().unwrap().to_string(),
                    d["issue_date"].as_str().unwrap().to_string(),
                    d["due_date"].as_str().unwrap().to_string(),
                    d["gross"].as_i64().unwrap(),
                    d["state"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        out.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
        out
    }

    pub async fn invoice(&self, number: &str) -> Value {
        let list = self.get(&format!("/api/v1/invoices?q={number}")).await;
        let id = list.as_array().unwrap().iter().find(|d| d["number"] == number).unwrap_or_else(|| panic!("no {number}"))["id"]
            .as_i64()
            .unwrap();
        self.get(&format!("/api/v1/invoices/{id}")).await
    }
}

pub fn doc(n: &str, issued: &str, due: &str, gross: i64, state: &str) -> (String, String, String, i64, String) {
    (n.into(), issued.into(), due.into(), gross, state.into())
}

pub fn nl_business(name: &str) -> Value {
    json!({"kind": "business", "legal_name": name, "street": "Markt 1", "postal_code": "5611 AA", "city": "Eindhoven", "country": "NL",
           "email": format!("{}@klant.test", name.to_lowercase().replace(' ', "")), "vat_number": "NL123456789B13"})
}

pub fn nl_consumer(name: &str) -> Value {
    json!({"kind": "consumer", "legal_name": name, "street": "Dorpsstraat 2", "postal_code": "1234 AB", "city": "Ede", "country": "NL",
           "email": format!("{}@thuis.test", name.to_lowercase().replace(' ', ""))})
}

pub fn lines(inv: &Value) -> Vec<(String, Option<String>, Option<String>, i64)> {
    inv["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["description"].as_str().unwrap().to_string(),
                l["period_from"].as_str().map(String::from),
                l["period_to"].as_str().map(String::from),
                l["net"].as_i64().unwrap(),
            )
        })
        .collect()
}

pub fn it_business(name: &str) -> Value {
    json!({"kind": "business", "legal_name": name, "street": "Via Dante 5", "postal_code": "20121", "city": "Milano", "country": "IT",
           "email": format!("{}@cliente.test", name.to_lowercase().replace(' ', "")), "vat_number": "IT01234567897", "language": "it"})
}
