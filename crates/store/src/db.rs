use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};

// A row limit is bound as `LIMIT CAST($n AS BIGINT)`, never as a bare bound value. SQLite reads
// a bare bound LIMIT while planning, and a statement planned on a bound value is planned again
// every time it runs, because sqlx binds the values again at every run. Statements with such
// a LIMIT were parsed and planned again on every page, half of SQLite's time on `/staff`.
// The `limits_are_not_planned_on` test keeps it that way.

/// A connection, pooled or inside a transaction (`&mut *tx`).
pub type Conn = AnyConnection;
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://USER@HOST:PORT/DB")]
    UnsupportedUrl(String),
    #[error("cannot connect to the database at {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("migration {version} ({name}) was changed after it was applied to this database")]
    MigrationChanged { version: i64, name: String },
    #[error("this database was migrated by a newer Loket (it has migration {0}, which this version does not know)")]
    UnknownMigration(i64),
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("invalid stored data: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Invalid(String),
}

/// The catalog this process read last, with the stamp it was read at.
pub(crate) type CatalogCache = std::sync::Arc<std::sync::Mutex<Option<(i64, std::sync::Arc<crate::billing::catalog::Catalog>)>>>;

/// The database, shared by every request handler and job. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    /// One connection of its own for `/health`, so that a pool busy with slow pages or a
    /// billing run never makes a healthy node look dead to its load balancer.
    health: AnyPool,
    backend: Backend,
    /// The catalog as last read, with the stamp it was read at (see `billing::catalog`).
    pub(crate) catalog_cache: CatalogCache,
    /// On SQLite, the connections [`Store::acquire`] hands out (see [`Readers`]).
    readers: Option<std::sync::Arc<Readers>>,
    /// On SQLite with a file, the connections of the pages' read path (see `read`).
    pub(crate) lite: Option<std::sync::Arc<crate::read::LiteReaders>>,
}

/// SQLite connections handed out by [`Store::acquire`] and taken back as they are, without
/// sqlx's pool. sqlx tests every connection it takes back with a round trip to the
/// connection's thread, so each query run on the pool cost two thread hops instead of one;
/// on this machine a hop costs more than most of Loket's queries. A connection to a local file
/// cannot go away under us, and its thread runs commands in order, so one dropped half-way is
/// safe to hand out again. PostgreSQL keeps sqlx's pool, whose test on taking a connection back
/// is what notices a server that went away (and one that sat idle is tested again before use,
/// see [`TEST_IDLE_AFTER`]).
#[derive(Debug)]
struct Readers {
    options: AnyConnectOptions,
    idle: std::sync::Mutex<Vec<AnyConnection>>,
    permits: std::sync::Arc<tokio::sync::Semaphore>,
}

/// A connection from [`Store::acquire`], returned when dropped. Use it as `&mut *conn`.
#[derive(Debug)]
pub struct Pooled(PooledInner);

#[derive(Debug)]
enum PooledInner {
    /// `None` only while being dropped.
    Pool(Option<sqlx::pool::PoolConnection<sqlx::Any>>),
    Reader {
        conn: Option<AnyConnection>,
        home: std::sync::Arc<Readers>,
        _permit: tokio::sync::OwnedSemaphorePermit,
    },
}

impl std::ops::Deref for Pooled {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match &self.0 {
            PooledInner::Pool(c) => c.as_ref().expect("a pooled connection is held until dropped"),
            PooledInner::Reader { conn, .. } => conn.as_ref().expect("a reader holds its connection until dropped"),
        }
    }
}

impl std::ops::DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.0 {
            PooledInner::Pool(c) => c.as_mut().expect("a pooled connection is held until dropped"),
            PooledInner::Reader { conn, .. } => conn.as_mut().expect("a reader holds its connection until dropped"),
        }
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        match &mut self.0 {
            PooledInner::Reader { conn, home, .. } => {
                if let Some(c) = conn.take()
                    && let Ok(mut idle) = home.idle.lock()
                {
                    idle.push(c);
                }
            }
            PooledInner::Pool(conn) => {
                // Kept for the request's next statement when the request keeps one (and keeps
                // none yet); otherwise back to the pool.
                let _ = HELD.try_with(|held| {
                    let mut held = held.borrow_mut();
                    if held.is_none() {
                        *held = conn.take();
                    }
                });
            }
        }
    }
}

tokio::task_local! {
    /// The PostgreSQL connection a request keeps between its statements: see [`keep_connection`].
    static HELD: std::cell::RefCell<Option<sqlx::pool::PoolConnection<sqlx::Any>>>;
}

/// Runs `work` (one request) keeping the PostgreSQL connection its first statement took for
/// all its statements, instead of taking one from the pool and giving it back for each.
///
/// sqlx tests every connection given back to its pool with a round trip to the server; a page
/// of five statements made ten round trips, and the server's share of a page was more than
/// half of its cost. Kept, the page makes six. The connection goes back to the pool when
/// `work` ends, before the request begins a transaction (which takes its own connection, so a
/// request never waits for a second connection while keeping one), and when it calls
/// [`let_go`]. SQLite's connections are not kept: giving one back costs nothing.
///
/// A request keeps its connection through everything it awaits, so one that waits on something
/// other than the database (a payment provider's answer) calls [`let_go`] first.
///
/// On SQLite the page's statements on the read path share one read transaction instead (see
/// `read::Snapshot`), ended by [`let_go`] and by the request's first write.
pub async fn keep_connection<F: std::future::Future>(work: F) -> F::Output {
    HELD.scope(std::cell::RefCell::new(None), crate::read::in_snapshot(work)).await
}

/// Gives the connection this request keeps (see [`keep_connection`]) back to the pool, before
/// work that does not need the database, and ends its SQLite snapshot.
pub fn let_go() {
    drop(HELD.try_with(|held| held.borrow_mut().take()));
    crate::read::end_snapshot();
}

impl Readers {
    async fn acquire(self: &std::sync::Arc<Self>) -> Result<Pooled, StoreError> {
        let permit = tokio::time::timeout(Duration::from_secs(10), self.permits.clone().acquire_owned())
            .await
            .map_err(|_| StoreError::Sql(sqlx::Error::PoolTimedOut))?
            .map_err(|_| StoreError::Sql(sqlx::Error::PoolClosed))?;
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match idle {
            Some(c) => c,
            None => {
                let mut c = AnyConnection::connect_with(&self.options).await?;
                c.execute(SQLITE_PRAGMAS).await?;
                c
            }
        };
        Ok(Pooled(PooledInner::Reader { conn: Some(conn), home: self.clone(), _permit: permit }))
    }
}

/// Every SQLite connection's settings. `mmap_size` maps the file into memory (up to SQLite's
/// 2 GB limit), so a page missing from the connection's own cache is read where the OS keeps it
/// instead of copied in by a system call: on the benchmark's 1 GB database most of a page's
/// lookups miss the 32 MB cache, and this took some 15 % off the dashboard's CPU.
pub(crate) const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA busy_timeout = 15000; PRAGMA foreign_keys = ON; \
     PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 2147418112;";

/// No statement runs longer than this on PostgreSQL (SQLite has no such limit; its queries are
/// kept short by indexes and pages instead).
pub const STATEMENT_TIMEOUT_MS: u64 = 60_000;

impl Store {
    /// Connects to `url`. For SQLite the file (and its folder) is created if missing and put in
    /// WAL mode, so that readers never wait for the writer.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        if backend == Backend::Sqlite
            && let Some(path) = sqlite_path(url)
            && let Some(dir) = std::path::Path::new(&path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Connect { url: url.to_string(), source: sqlx::Error::Io(e) })?;
        }
        let connect_url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&connect_url).map_err(|e| StoreError::Connect { url: redact(url), source: e })?;
        let pool = pool_options(backend, max_connections.max(1))
            .connect_with(options.clone())
            .await
            .map_err(|e| StoreError::Connect { url: redact(url), source: e })?;
        let health = pool_options(backend, 1).connect_lazy_with(options.clone());
        let readers = (backend == Backend::Sqlite).then(|| {
            std::sync::Arc::new(Readers {
                options,
                idle: Default::default(),
                permits: std::sync::Arc::new(tokio::sync::Semaphore::new(max_connections.max(1) as usize)),
            })
        });
        let lite = match backend {
            Backend::Sqlite => sqlite_path(url).map(crate::read::LiteReaders::new),
            Backend::Postgres => None,
        };
        Ok(Store { pool, health, backend, catalog_cache: Default::default(), readers, lite })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`),
    /// so two writers queue on the busy timeout instead of failing half-way with SQLITE_BUSY.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        // A transaction takes a connection of its own: the request's kept one goes back first.
        let_go();
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// A connection for work outside a transaction (reading, mostly), returned when dropped.
    pub async fn acquire(&self) -> Result<Pooled, StoreError> {
        match &self.readers {
            Some(readers) => {
                // It may write: what the request reads after it must see that.
                crate::read::end_snapshot();
                readers.acquire().await
            }
            None => {
                let conn = match HELD.try_with(|held| held.borrow_mut().take()).ok().flatten() {
                    Some(kept) => kept,
                    None => self.pool.acquire().await?,
                };
                Ok(Pooled(PooledInner::Pool(Some(conn))))
            }
        }
    }

    /// A round trip to the database on the health connection, for `/health`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        if self.lite.is_some() {
            // On the read path's connections, in place, as the pages read.
            self.read("SELECT 1", &[], |_| Ok(())).await?;
            return Ok(());
        }
        let mut conn = self.health.acquire().await?;
        conn.ping().await?;
        Ok(())
    }

    /// Bytes the database occupies (for benchmarks and operators).
    pub async fn size_bytes(&self) -> Result<i64, StoreError> {
        use sqlx::Row;
        let row = match self.backend {
            Backend::Sqlite => {
                sqlx::query("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").fetch_one(&self.pool).await?
            }
            Backend::Postgres => sqlx::query("SELECT CAST(pg_database_size(current_database()) AS BIGINT)").fetch_one(&self.pool).await?,
        };
        Ok(row.try_get(0)?)
    }

    /// After loading or changing a lot of data at once (the benchmarks), does what PostgreSQL's
    /// autovacuum would do later: clears the dead rows of updated tables and refreshes the
    /// planner's statistics. SQLite's planner needs none for Loket's indexes.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            sqlx::query("VACUUM ANALYZE").execute(&self.pool).await?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        if let Some(readers) = &self.readers {
            readers.permits.close();
            let idle = readers.idle.lock().map(|mut idle| std::mem::take(&mut *idle)).unwrap_or_default();
            for conn in idle {
                let _ = conn.close().await;
            }
        }
        self.pool.close().await;
        self.health.close().await;
    }
}

/// A PostgreSQL connection idle longer than this is tested with a round trip before it is used.
/// sqlx tests every connection it takes back, so a connection back from work a moment ago is
/// known to be good; testing it again on taking it out cost every statement a second round
/// trip. One that sat idle may have been cut by a server restart or a firewall since.
const TEST_IDLE_AFTER: Duration = Duration::from_secs(1);

fn pool_options(backend: Backend, max: u32) -> AnyPoolOptions {
    // A local SQLite file does not go away under a pooled connection; a round trip to test it
    // before every use costs each request a thread hop. PostgreSQL tests only a connection that
    // sat idle (`before_acquire` below).
    let options = AnyPoolOptions::new().max_connections(max).acquire_timeout(Duration::from_secs(10)).test_before_acquire(false);
    match backend {
        Backend::Sqlite => options.after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(SQLITE_PRAGMAS).await?;
                Ok(())
            })
        }),
        Backend::Postgres => options
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(sqlx::AssertSqlSafe(format!("SET statement_timeout = {STATEMENT_TIMEOUT_MS}"))).await?;
                    Ok(())
                })
            })
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for > TEST_IDLE_AFTER {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            }),
    }
}

/// A savepoint inside a transaction: released by [`release`], rolled back when dropped.
pub type Savepoint<'c> = sqlx::Transaction<'c, sqlx::Any>;

/// Starts a savepoint on `conn`, which is inside a transaction: a part of the work that can fail
/// and be undone without undoing the rest.
pub async fn savepoint(conn: &mut Conn) -> Result<Savepoint<'_>, StoreError> {
    Ok(sqlx::Connection::begin(conn).await?)
}

/// Keeps what was done since the savepoint.
pub async fn release(sp: Savepoint<'_>) -> Result<(), StoreError> {
    Ok(sp.commit().await?)
}

/// Commits a transaction (for callers that do not use sqlx themselves).
pub async fn commit(tx: Tx) -> Result<(), StoreError> {
    Ok(tx.commit().await?)
}

fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| path.to_string())
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// See the note on `LIMIT CAST($n AS BIGINT)` at the top of this file.
    #[test]
    fn limits_are_not_planned_on() {
        fn visit(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    visit(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (i, line) in text.lines().enumerate() {
                        // A placeholder written in (`{limit}`) is one too; a constant (`{COUNT_CAP}`) is not.
                        // Spelt in parts so that these lines do not find themselves.
                        let placeholder = [concat!("LIMIT ", "{"), concat!("OFFSET ", "{")]
                            .iter()
                            .any(|w| line.split(w).skip(1).any(|rest| rest.starts_with(|c: char| c.is_ascii_lowercase())));
                        if placeholder || line.contains(concat!("LIMIT ", "$")) || line.contains(concat!("OFFSET ", "$")) {
                            found.push(format!("{}:{}", path.display(), i + 1));
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        visit(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut found);
        assert!(found.is_empty(), "write LIMIT CAST($n AS BIGINT) instead of a bare bound LIMIT: {found:?}");
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }

    #[test]
    fn finds_sqlite_paths() {
        assert_eq!(sqlite_path("sqlite://data/loket.db?mode=rwc").as_deref(), Some("data/loket.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }
}
