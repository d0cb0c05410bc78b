//! Prometheus metrics in the text exposition format, without a metrics framework: a few
//! counters and histograms behind one mutex, cheap next to a request.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

use loket_store::jobs::JobCounts;

const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<(String, String), Histogram>,
}

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *inner.requests.entry((method.to_string(), route.to_string(), status)).or_default() += 1;
        let h = inner.latency.entry((method.to_string(), route.to_string())).or_default();
        h.count += 1;
        h.sum += secs;
        for (i, le) in BUCKETS.iter().enumerate() {
            if secs <= *le {
                h.counts[i] += 1;
            }
        }
    }

    /// The exposition text, with queue depths read by the caller from the database.
    pub fn render(&self, jobs: Option<JobCounts>, uptime: Duration) -> String {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::with_capacity(4096);
        let _ = writeln!(out, "# HELP loket_build_info Loket version.\n# TYPE loket_build_info gauge");
        let _ = writeln!(out, "loket_build_info{{version=\"{}\"}} 1", env!("CARGO_PKG_VERSION"));
        let _ = writeln!(out, "# HELP loket_uptime_seconds Seconds since this process started.\n# TYPE loket_uptime_seconds gauge");
        let _ = writeln!(out, "loket_uptime_seconds {}", uptime.as_secs());
        let _ = writeln!(
            out,
            "# HELP loket_http_requests_total HTTP requests by method, route and status.\n# TYPE loket_http_requests_total counter"
        );
        for ((method, route, status), n) in &inner.requests {
            let _ = writeln!(out, "loket_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}", escape(route));
        }
        let _ = writeln!(
            out,
            "# HELP loket_http_request_duration_seconds HTTP request latency.\n# TYPE loket_http_request_duration_seconds histogram"
        );
        for ((method, route), h) in &inner.latency {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            for (i, le) in BUCKETS.iter().enumerate() {
                let _ = writeln!(out, "loket_http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {}", h.counts[i]);
            }
            let _ = writeln!(out, "loket_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", h.count);
            let _ = writeln!(out, "loket_http_request_duration_seconds_sum{{{labels}}} {}", h.sum);
            let _ = writeln!(out, "loket_http_request_duration_seconds_count{{{labels}}} {}", h.count);
        }
        if let Some(jobs) = jobs {
            let _ = writeln!(
                out,
                "# HELP loket_jobs Jobs in the durable queue by state (dead = dead letters for staff).\n# TYPE loket_jobs gauge"
            );
            for (state, n) in [("queued", jobs.queued), ("running", jobs.running), ("dead", jobs.dead)] {
                let _ = writeln!(out, "loket_jobs{{state=\"{state}\"}} {n}");
            }
        }
        out
    }
}

/// Each monitor's gauges: up (1, or 0 when down or suspect; absent while unknown), the last
/// response time, the certificate's expiry; and how many incidents are open.
pub fn render_monitors(out: &mut String, monitors: &[loket_store::monitoring::Sample], incidents_open: i64) {
    use loket_domain::monitoring::state::Health;
    let _ = writeln!(
        out,
        "# HELP loket_monitor_up Whether a monitor's service is up (1) or down or suspect (0).\n# TYPE loket_monitor_up gauge"
    );
    for m in monitors {
        let up = match m.health {
            Health::Up => 1,
            Health::Down | Health::Suspect => 0,
            Health::Unknown => continue,
        };
        let _ = writeln!(out, "loket_monitor_up{{monitor=\"{}\"}} {up}", escape(&m.code));
    }
    let _ = writeln!(out, "# HELP loket_monitor_response_ms A monitor's last response time.\n# TYPE loket_monitor_response_ms gauge");
    for m in monitors {
        if let Some(ms) = m.last_latency_ms.filter(|_| m.health != Health::Unknown) {
            let _ = writeln!(out, "loket_monitor_response_ms{{monitor=\"{}\"}} {ms}", escape(&m.code));
        }
    }
    let _ = writeln!(
        out,
        "# HELP loket_monitor_certificate_expiry_seconds When a monitor's certificate expires (Unix time).\n# TYPE loket_monitor_certificate_expiry_seconds gauge"
    );
    for m in monitors {
        if let Some(s) = m.cert_not_after {
            let _ = writeln!(out, "loket_monitor_certificate_expiry_seconds{{monitor=\"{}\"}} {s}", escape(&m.code));
        }
    }
    let _ = writeln!(out, "# HELP loket_monitor_incidents_open Incidents not yet recovered.\n# TYPE loket_monitor_incidents_open gauge");
    let _ = writeln!(out, "loket_monitor_incidents_open {incidents_open}");
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms() {
        let m = Metrics::default();
        m.observe("GET", "/health", 200, Duration::from_millis(3));
        m.observe("GET", "/health", 200, Duration::from_millis(30));
        let text = m.render(Some(JobCounts { queued: 2, running: 1, dead: 0 }), Duration::from_secs(5));
        assert!(text.contains("loket_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 2"));
        assert!(text.contains("loket_http_request_duration_seconds_bucket{method=\"GET\",route=\"/health\",le=\"0.005\"} 1"));
        assert!(text.contains("loket_http_request_duration_seconds_bucket{method=\"GET\",route=\"/health\",le=\"+Inf\"} 2"));
        assert!(text.contains("loket_jobs{state=\"queued\"} 2"));
    }

    #[test]
    fn monitors_render_with_escaped_labels_and_unknown_left_out() {
        use loket_domain::monitoring::state::Health;
        use loket_store::monitoring::Sample;
        let sample =
            |code: &str, health, latency, cert| Sample { code: code.into(), health, last_latency_ms: latency, cert_not_after: cert };
        let mut out = String::new();
        let monitors = [
            sample("web-1", Health::Up, Some(120), Some(1_800_000_000)),
            sample("odd\"code", Health::Suspect, Some(10_000), None),
            sample("new", Health::Unknown, None, None),
        ];
        render_monitors(&mut out, &monitors, 2);
        assert!(out.contains("loket_monitor_up{monitor=\"web-1\"} 1"));
        assert!(out.contains("loket_monitor_up{monitor=\"odd\\\"code\"} 0"));
        assert!(!out.contains("monitor=\"new\""));
        assert!(out.contains("loket_monitor_response_ms{monitor=\"web-1\"} 120"));
        assert!(out.contains("loket_monitor_certificate_expiry_seconds{monitor=\"web-1\"} 1800000000"));
        assert!(out.contains("loket_monitor_incidents_open 2"));
    }
}
