//! The read path of the pages served most: every signed-in request's session, and the
//! statements of the dashboards, the invoice list, a service's page and the staff search.
//!
//! On SQLite these statements run on the request's own thread, through `rusqlite`, on
//! connections of their own. sqlx runs every SQLite connection on a thread of its own, so each
//! statement was a hand-over to that thread and back: on the benchmark's dashboard a third of
//! the CPU was those threads, and switching between them made the slowest requests wait for the
//! scheduler. The statements here are short (each is served by an index and reads a page of
//! rows), so running one in place costs the thread less than handing it over did.
//!
//! On PostgreSQL the same statement goes through sqlx as every other one. Either way a row is
//! read through [`Columns`], so one function turns a row into a value for both databases.

use std::sync::{Arc, Mutex};

use sqlx::any::AnyRow;

use crate::db::{Store, StoreError};

/// A value bound to a statement of [`Store::read`].
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Int(i64),
    Text(&'a str),
    OptInt(Option<i64>),
    OptText(Option<&'a str>),
}

/// A row of either database, read by column name or position.
pub trait Columns {
    /// The row as sqlx read it (PostgreSQL, and statements outside this path).
    fn sqlx(&self) -> Option<&AnyRow>;
    /// The value at `index` as SQLite holds it.
    fn sqlite(&self, index: Index<'_>) -> Result<rusqlite::types::ValueRef<'_>, sqlx::Error>;
}

impl Columns for AnyRow {
    fn sqlx(&self) -> Option<&AnyRow> {
        Some(self)
    }
    fn sqlite(&self, index: Index<'_>) -> Result<rusqlite::types::ValueRef<'_>, sqlx::Error> {
        Err(sqlx::Error::ColumnNotFound(index.to_string()))
    }
}

/// A row of a statement run by `rusqlite`, with the statement's column names.
struct Lite<'r, 's> {
    row: &'r rusqlite::Row<'s>,
    names: &'r Names,
    /// Where the next name is looked for first when the lookup is not learned: rows are
    /// mostly read in column order.
    next: std::cell::Cell<usize>,
    /// How many columns of this row were looked up by name so far.
    lookups: std::cell::Cell<usize>,
}

/// The names SQLite gives `$1`, `$2`, … : bound by name, without writing each name per statement.
const PARAMETERS: [&str; 16] = ["$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15", "$16"];

/// A statement's column names, read once per statement text and thread ([`Names::cached`]):
/// rusqlite finds a column by name through SQLite on every lookup, which cost a page as much as
/// running its statements.
struct Names {
    text: String,
    ends: Vec<usize>,
    /// The position found by each lookup of the first row read, in the order the lookups came:
    /// a statement's rows are all read by the same code, so the n-th lookup of the next row is
    /// for the same column, whatever order the code reads the columns in. Every lookup checks
    /// the name, so code that reads the same statement another way is only slower.
    learned: std::cell::RefCell<Vec<usize>>,
}

impl Names {
    fn of(stmt: &rusqlite::Statement<'_>) -> Names {
        let mut names = Names { text: String::new(), ends: Vec::with_capacity(stmt.column_count()), learned: Default::default() };
        for name in stmt.column_names() {
            names.text.push_str(name);
            names.ends.push(names.text.len());
        }
        names
    }

    /// The names of `stmt`, prepared from `sql`: made once per statement text and thread, as a
    /// statement's columns are the same on every connection (the schema is migrated before
    /// serving). The texts are keyed by where they are, the statements' constants, and checked
    /// whole, so a text made at run time that lands where another was is not mistaken for it.
    fn cached(sql: &str, stmt: &rusqlite::Statement<'_>) -> std::rc::Rc<Names> {
        /// Texts made at run time add entries; the table is emptied when it holds this many.
        const KEPT: usize = 256;
        /// By (address, length) of the text: the text and its names.
        type Known = std::collections::HashMap<(usize, usize), (String, std::rc::Rc<Names>)>;
        thread_local! {
            static KNOWN: std::cell::RefCell<Known> = std::cell::RefCell::new(Known::new());
        }
        KNOWN.with(|known| {
            let mut known = known.borrow_mut();
            let key = (sql.as_ptr() as usize, sql.len());
            if let Some((text, names)) = known.get(&key)
                && text == sql
                && names.ends.len() == stmt.column_count()
            {
                return names.clone();
            }
            if known.len() >= KEPT {
                known.clear();
            }
            let names = std::rc::Rc::new(Names::of(stmt));
            known.insert(key, (sql.to_string(), names.clone()));
            names
        })
    }

    fn name(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text.as_bytes()[start..self.ends[i]]
    }

    /// The position of column `name`, as SQLite matches names (ASCII case ignored), for the
    /// row's `nth` lookup: looked for where that lookup found its column before, then at
    /// `hint`, then everywhere.
    fn position(&self, name: &str, nth: usize, hint: usize) -> Option<usize> {
        // Code spells a column as the statement does: the exact bytes are compared first.
        let is = |i: usize| {
            i < self.ends.len() && {
                let n = self.name(i);
                n == name.as_bytes() || n.eq_ignore_ascii_case(name.as_bytes())
            }
        };
        let mut learned = self.learned.borrow_mut();
        if let Some(&i) = learned.get(nth)
            && is(i)
        {
            return Some(i);
        }
        let found = if is(hint) { Some(hint) } else { (0..self.ends.len()).find(|&i| is(i)) }?;
        // Learned in order only: a lookup that went another way than the first row's keeps
        // what was learned, and is found by the search above.
        if learned.len() == nth {
            learned.push(found);
        }
        Some(found)
    }
}

impl Columns for Lite<'_, '_> {
    fn sqlx(&self) -> Option<&AnyRow> {
        None
    }
    fn sqlite(&self, index: Index<'_>) -> Result<rusqlite::types::ValueRef<'_>, sqlx::Error> {
        let at = match index {
            Index::Name(name) => {
                let nth = self.lookups.get();
                self.lookups.set(nth + 1);
                self.names.position(name, nth, self.next.get())
            }
            Index::Position(i) => Some(i),
        };
        if let Some(i) = at {
            self.next.set(i + 1);
        }
        at.and_then(|i| self.row.get_ref(i).ok()).ok_or_else(|| sqlx::Error::ColumnNotFound(index.to_string()))
    }
}

impl dyn Columns + '_ {
    /// The column `index` (a name or a position) as a `T`, as sqlx's `Row::try_get` reads it.
    pub fn try_get<'i, T: Column, I: Into<Index<'i>>>(&self, index: I) -> Result<T, sqlx::Error> {
        let index = index.into();
        match self.sqlx() {
            Some(row) => T::from_sqlx(row, index),
            None => T::from_sqlite(self.sqlite(index)?).map_err(|source| sqlx::Error::ColumnDecode { index: index.to_string(), source }),
        }
    }
}

impl dyn Columns + '_ {
    /// The text in column `index`, borrowed from the row (`None` for NULL).
    pub fn text<'i, I: Into<Index<'i>>>(&self, index: I) -> Result<Option<&str>, sqlx::Error> {
        let index = index.into();
        match self.sqlx() {
            Some(row) => by(row, index),
            None => match self.sqlite(index)? {
                rusqlite::types::ValueRef::Null => Ok(None),
                rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t)
                    .map(Some)
                    .map_err(|e| sqlx::Error::ColumnDecode { index: index.to_string(), source: Box::new(e) }),
                v => Err(sqlx::Error::ColumnDecode { index: index.to_string(), source: unexpected(v, "text") }),
            },
        }
    }
}

/// A column by name or position.
#[derive(Debug, Clone, Copy)]
pub enum Index<'a> {
    Name(&'a str),
    Position(usize),
}

impl std::fmt::Display for Index<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Index::Name(n) => f.write_str(n),
            Index::Position(i) => write!(f, "{i}"),
        }
    }
}

impl<'a> From<&'a str> for Index<'a> {
    fn from(name: &'a str) -> Self {
        Index::Name(name)
    }
}

impl<'a> From<&'a String> for Index<'a> {
    fn from(name: &'a String) -> Self {
        Index::Name(name)
    }
}

impl From<usize> for Index<'_> {
    fn from(i: usize) -> Self {
        Index::Position(i)
    }
}

type DecodeError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A type a column is read as.
pub trait Column: Sized {
    fn from_sqlx(row: &AnyRow, index: Index<'_>) -> Result<Self, sqlx::Error>;
    fn from_sqlite(value: rusqlite::types::ValueRef<'_>) -> Result<Self, DecodeError>;
}

fn by<'r, T>(row: &'r AnyRow, index: Index<'_>) -> Result<T, sqlx::Error>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    match index {
        Index::Name(n) => row.try_get(n),
        Index::Position(i) => row.try_get(i),
    }
}

fn unexpected(value: rusqlite::types::ValueRef<'_>, wanted: &str) -> DecodeError {
    format!("a {} where {wanted} was expected", value.data_type()).into()
}

impl Column for i64 {
    fn from_sqlx(row: &AnyRow, index: Index<'_>) -> Result<Self, sqlx::Error> {
        by(row, index)
    }
    fn from_sqlite(value: rusqlite::types::ValueRef<'_>) -> Result<Self, DecodeError> {
        match value {
            rusqlite::types::ValueRef::Integer(n) => Ok(n),
            v => Err(unexpected(v, "an integer")),
        }
    }
}

impl Column for String {
    fn from_sqlx(row: &AnyRow, index: Index<'_>) -> Result<Self, sqlx::Error> {
        by(row, index)
    }
    fn from_sqlite(value: rusqlite::types::ValueRef<'_>) -> Result<Self, DecodeError> {
        match value {
            rusqlite::types::ValueRef::Text(t) => Ok(std::str::from_utf8(t)?.to_string()),
            v => Err(unexpected(v, "text")),
        }
    }
}

impl Column for Vec<u8> {
    fn from_sqlx(row: &AnyRow, index: Index<'_>) -> Result<Self, sqlx::Error> {
        by(row, index)
    }
    fn from_sqlite(value: rusqlite::types::ValueRef<'_>) -> Result<Self, DecodeError> {
        match value {
            rusqlite::types::ValueRef::Blob(b) | rusqlite::types::ValueRef::Text(b) => Ok(b.to_vec()),
            v => Err(unexpected(v, "bytes")),
        }
    }
}

impl Column for f64 {
    fn from_sqlx(row: &AnyRow, index: Index<'_>) -> Result<Self, sqlx::Error> {
        by(row, index)
    }
    fn from_sqlite(value: rusqlite::types::ValueRef<'_>) -> Result<Self, DecodeError> {
        match value {
            rusqlite::types::ValueRef::Real(x) => Ok(x),
            rusqlite::types::ValueRef::Integer(n) => Ok(n as f64),
            v => Err(unexpected(v, "a number")),
        }
    }
}

impl<T: Column> Column for Option<T>
where
    for<'r> Option<T>: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    fn from_sqlx(row: &AnyRow, index: Index<'_>) -> Result<Self, sqlx::Error> {
        by(row, index)
    }
    fn from_sqlite(value: rusqlite::types::ValueRef<'_>) -> Result<Self, DecodeError> {
        match value {
            rusqlite::types::ValueRef::Null => Ok(None),
            v => T::from_sqlite(v).map(Some),
        }
    }
}

/// SQLite connections for [`Store::read`], each used by one thread at a time and put back.
#[derive(Debug)]
pub(crate) struct LiteReaders {
    path: String,
    idle: Mutex<Vec<rusqlite::Connection>>,
}

/// Statements kept prepared per connection: every statement of this path, with room.
const PREPARED: usize = 64;

impl LiteReaders {
    pub(crate) fn new(path: String) -> Arc<LiteReaders> {
        Arc::new(LiteReaders { path, idle: Mutex::new(Vec::new()) })
    }

    fn open(&self) -> Result<rusqlite::Connection, rusqlite::Error> {
        use rusqlite::OpenFlags;
        // Not created here: the store's own connection made the file and migrated it.
        let conn = rusqlite::Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        // The settings of every SQLite connection (see `SQLITE_PRAGMAS`), and reading only.
        conn.execute_batch(crate::db::SQLITE_PRAGMAS)?;
        conn.execute_batch("PRAGMA query_only = ON;")?;
        conn.set_prepared_statement_cache_capacity(PREPARED);
        Ok(conn)
    }

    fn take(&self) -> Result<rusqlite::Connection, StoreError> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        Ok(match idle {
            Some(c) => c,
            None => self.open()?,
        })
    }

    fn give_back(&self, conn: rusqlite::Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
    }

    fn run<T>(
        self: &Arc<Self>,
        sql: &str,
        args: &[Arg<'_>],
        map: impl FnMut(&dyn Columns) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        // Inside a page's snapshot: its connection, in its read transaction (begun by the first
        // statement of the page that reads here).
        match SNAPSHOT.try_with(|s| s.0.borrow_mut().take(self)) {
            Ok(Some(taken)) => {
                let conn = match taken {
                    Some(conn) => conn,
                    None => {
                        let conn = self.take()?;
                        if let Err(e) = conn.execute_batch("BEGIN") {
                            self.give_back(conn);
                            return Err(e.into());
                        }
                        conn
                    }
                };
                let out = Self::statement(&conn, sql, args, map);
                let _ = SNAPSHOT.try_with(|s| s.0.borrow_mut().put(self, conn));
                out
            }
            _ => {
                let conn = self.take()?;
                let out = Self::statement(&conn, sql, args, map);
                self.give_back(conn);
                out
            }
        }
    }

    fn statement<T>(
        conn: &rusqlite::Connection,
        sql: &str,
        args: &[Arg<'_>],
        mut map: impl FnMut(&dyn Columns) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        (|| {
            let mut stmt = conn.prepare_cached(sql)?;
            // `$N` is a name to SQLite, numbered in the order the statement first uses it; the
            // N-th argument goes to `$N` wherever it first appears.
            let mut name = String::with_capacity(4);
            for (i, arg) in args.iter().enumerate() {
                let at = match PARAMETERS.get(i) {
                    Some(known) => stmt.parameter_index(known)?,
                    None => {
                        use std::fmt::Write;
                        name.clear();
                        let _ = write!(name, "${}", i + 1);
                        stmt.parameter_index(&name)?
                    }
                }
                .unwrap_or(i + 1);
                match *arg {
                    Arg::Int(n) => stmt.raw_bind_parameter(at, n)?,
                    Arg::Text(t) => stmt.raw_bind_parameter(at, t)?,
                    Arg::OptInt(n) => stmt.raw_bind_parameter(at, n)?,
                    Arg::OptText(t) => stmt.raw_bind_parameter(at, t)?,
                }
            }
            let names = Names::cached(sql, &stmt);
            let mut rows = stmt.raw_query();
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(map(&Lite { row, names: &names, next: std::cell::Cell::new(0), lookups: std::cell::Cell::new(0) })?);
            }
            Ok(out)
        })()
    }
}

tokio::task_local! {
    /// The read transaction a page's statements share on SQLite: see [`Snapshot`].
    static SNAPSHOT: PageSnapshot;
}

/// A page's statements on SQLite read one snapshot, in one read transaction on one connection,
/// instead of each beginning and ending its own: beginning one takes SQLite's shared-memory
/// locks (system calls while another thread holds none), and a dashboard ran five. One view of
/// the database is also what a page should show.
///
/// It lasts while the page only reads: [`end_snapshot`] ends it for the rest of the request
/// before the request writes, so what the request reads after a change of its own sees it.
#[derive(Default)]
pub(crate) enum Snapshot {
    /// No statement of the page has read yet: the first begins the transaction.
    #[default]
    Unbegun,
    /// The connection in its read transaction, between two statements.
    Open(rusqlite::Connection, Arc<LiteReaders>),
    /// Ended for this request (or it could not begin): its statements run each on their own.
    Off,
}

impl Snapshot {
    /// `None`: not for this statement (off, or another database's). `Some(None)`: the first
    /// statement, which begins the transaction. `Some(Some(conn))`: the transaction's connection.
    /// A statement that takes a connection puts it back with [`Snapshot::put`]; nothing runs
    /// in between (the read path does not await).
    fn take(&mut self, home: &Arc<LiteReaders>) -> Option<Option<rusqlite::Connection>> {
        match std::mem::replace(self, Snapshot::Off) {
            Snapshot::Unbegun => Some(None),
            Snapshot::Open(conn, h) if Arc::ptr_eq(&h, home) => Some(Some(conn)),
            other => {
                *self = other;
                None
            }
        }
    }

    fn put(&mut self, home: &Arc<LiteReaders>, conn: rusqlite::Connection) {
        *self = Snapshot::Open(conn, home.clone());
    }

    fn end(&mut self) {
        if let Snapshot::Open(conn, home) = std::mem::replace(self, Snapshot::Off) {
            finish(&home, conn);
        }
    }
}

/// The page's [`Snapshot`], ended when the page is done (or dropped half-way).
pub(crate) struct PageSnapshot(std::cell::RefCell<Snapshot>);

impl Drop for PageSnapshot {
    fn drop(&mut self) {
        self.0.get_mut().end();
    }
}

/// Ends `conn`'s read transaction and gives it back; one that will not end is closed instead.
fn finish(home: &LiteReaders, conn: rusqlite::Connection) {
    if conn.execute_batch("COMMIT").is_ok() || conn.is_autocommit() {
        home.give_back(conn);
    }
}

/// Runs `work` (a page) with its statements on SQLite reading one snapshot; see [`Snapshot`].
pub(crate) async fn in_snapshot<F: std::future::Future>(work: F) -> F::Output {
    SNAPSHOT.scope(PageSnapshot(std::cell::RefCell::new(Snapshot::default())), work).await
}

/// Ends this request's snapshot: its later statements see what it (or anyone) changed since.
pub(crate) fn end_snapshot() {
    let _ = SNAPSHOT.try_with(|s| s.0.borrow_mut().end());
}

impl Store {
    /// Runs the read-only statement `sql` with `args` (bound in order: `$1`, `$2`, … numbered
    /// in order of first use) and turns each row into a value with `map`. See the module's
    /// documentation for why this is not sqlx on SQLite. For short statements only: on SQLite
    /// it holds the request's thread while it runs.
    pub async fn read<T>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        mut map: impl FnMut(&dyn Columns) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        if let Some(lite) = &self.lite {
            return lite.run(sql, args, map);
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for arg in args {
            query = match *arg {
                Arg::Int(n) => query.bind(n),
                Arg::Text(t) => query.bind(t),
                Arg::OptInt(n) => query.bind(n),
                Arg::OptText(t) => query.bind(t),
            };
        }
        let rows = query.fetch_all(&mut *self.acquire().await?).await?;
        rows.iter().map(|row| map(row)).collect()
    }

    /// The one row `sql` reads, if any (see [`Store::read`]).
    pub async fn read_one<T>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        map: impl FnMut(&dyn Columns) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        Ok(self.read(sql, args, map).await?.into_iter().next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store on a fresh SQLite file of its own under the temporary folder, and that folder.
    async fn scratch(name: &str) -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("loket-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::connect(&format!("sqlite://{}/t.db", dir.display()), 2).await.unwrap();
        (store, dir)
    }

    /// A row's columns are found by name whatever order they are read in, also when a row is
    /// read in another order than the rows before it (the learned order is only a first guess).
    #[tokio::test]
    async fn columns_are_found_in_any_order() {
        let (store, dir) = scratch("read-order").await;
        sqlx::query("CREATE TABLE t (a BIGINT, b BIGINT, c BIGINT)").execute(store.pool()).await.unwrap();
        sqlx::query("INSERT INTO t VALUES (1, 2, 3), (4, 5, 6), (7, 8, 9)").execute(store.pool()).await.unwrap();
        let map = |r: &dyn Columns| -> Result<Vec<i64>, StoreError> {
            // The first row is read c, a, b; the others start with b, and one reads a twice.
            let first: i64 = r.try_get("C")?;
            if first == 3 {
                return Ok(vec![r.try_get("a")?, r.try_get("b")?, first]);
            }
            let b: i64 = r.try_get("b")?;
            let a: i64 = r.try_get("a")?;
            Ok(vec![a, b, r.try_get("c")?, r.try_get("a")?])
        };
        let rows = store.read("SELECT a, b, c FROM t ORDER BY a", &[], map).await.unwrap();
        assert_eq!(rows, vec![vec![1, 2, 3], vec![4, 5, 6, 4], vec![7, 8, 9, 7]]);
        let missing = store.read("SELECT a FROM t", &[], |r: &dyn Columns| Ok(r.try_get::<i64, _>("nope")?)).await;
        assert!(missing.is_err());
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Statements made at run time, one after another in the same place in memory, each read
    /// their own columns: the kept names are checked against the whole text.
    #[tokio::test]
    async fn kept_column_names_follow_the_statement_text() {
        let (store, dir) = scratch("read-names").await;
        sqlx::query("CREATE TABLE t (a BIGINT, b BIGINT, c BIGINT)").execute(store.pool()).await.unwrap();
        sqlx::query("INSERT INTO t VALUES (1, 2, 3)").execute(store.pool()).await.unwrap();
        for round in 0..3 {
            for (cols, want) in [("a, b", [1, 2]), ("b, c", [2, 3]), ("c, a", [3, 1])] {
                // A fresh text of one length each time, so the allocator may hand out the same place.
                let sql = format!("SELECT {cols} FROM t");
                let read = store.read(&sql, &[], |r: &dyn Columns| Ok([r.try_get::<i64, _>(0usize)?, r.try_get::<i64, _>(1usize)?])).await;
                assert_eq!(read.unwrap(), vec![want], "{cols}, round {round}");
                let by_name = store.read(&sql, &[], |r: &dyn Columns| Ok(r.try_get::<i64, _>("c").ok())).await.unwrap();
                assert_eq!(by_name, vec![cols.contains('c').then_some(3)], "{cols}, round {round}");
            }
        }
        // More than `$16`: the names past the known ones are written out.
        let many = (1..=18).map(|i| format!("${i}")).collect::<Vec<_>>().join(" + ");
        let args: Vec<Arg<'_>> = (1..=18).map(Arg::Int).collect();
        let sum = store.read(&format!("SELECT {many} AS s"), &args, |r: &dyn Columns| Ok(r.try_get::<i64, _>("s")?)).await.unwrap();
        assert_eq!(sum, vec![171]);
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Both databases' rows read the same through `Columns`: sqlx's on the store's pool and
    /// rusqlite's on the read path, on one SQLite file.
    #[tokio::test]
    async fn sqlite_rows_read_as_sqlx_reads_them() {
        let (store, dir) = scratch("read").await;
        sqlx::query("CREATE TABLE t (n BIGINT, s TEXT, b BLOB, x REAL)").execute(store.pool()).await.unwrap();
        sqlx::query("INSERT INTO t VALUES (7, 'één', X'0102', 1.5), (NULL, NULL, NULL, NULL)").execute(store.pool()).await.unwrap();
        type Read = (Option<i64>, Option<String>, Option<Vec<u8>>, Option<f64>);
        let map = |r: &dyn Columns| -> Result<Read, StoreError> {
            Ok((r.try_get("n")?, r.try_get::<Option<String>, _>(1usize)?, r.try_get("b")?, r.try_get("x")?))
        };
        // `$2` is used before `$1`, as the session's statement does.
        let sql = "SELECT n, s, b, x FROM t WHERE n = $2 - 1 OR n = $1 OR n IS NULL AND s IS NULL ORDER BY n DESC";
        let lite = store.read(sql, &[Arg::Int(7), Arg::Int(100)], map).await.unwrap();
        let via_sqlx: Vec<Read> = sqlx::query(sql)
            .bind(7i64)
            .bind(100i64)
            .fetch_all(store.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| map(r))
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(lite, vec![(Some(7), Some("één".to_string()), Some(vec![1, 2]), Some(1.5)), (None, None, None, None)]);
        assert_eq!(lite, via_sqlx);
        // A wrong type or column is an error naming the column, not a panic.
        let wrong = store.read("SELECT s FROM t WHERE n = $1", &[Arg::Int(7)], |r| Ok(r.try_get::<i64, _>("s")?)).await;
        assert!(wrong.unwrap_err().to_string().contains('s'));
        let missing = store.read("SELECT s FROM t", &[], |r| Ok(r.try_get::<String, _>("nope")?)).await;
        assert!(missing.unwrap_err().to_string().contains("nope"));
        // It reads only.
        assert!(store.read("DELETE FROM t", &[], |_| Ok(())).await.is_err());
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A page's statements read one snapshot; the request's own write ends it, so what it reads
    /// after its change sees the change.
    #[tokio::test]
    async fn a_page_reads_one_snapshot_until_it_writes() {
        let (store, dir) = scratch("snapshot").await;
        sqlx::query("CREATE TABLE t (n BIGINT)").execute(store.pool()).await.unwrap();
        sqlx::query("INSERT INTO t VALUES (1)").execute(store.pool()).await.unwrap();
        let count = || async { store.read_one("SELECT COUNT(*) FROM t", &[], |r| Ok(r.try_get::<i64, _>(0usize)?)).await.unwrap() };
        crate::keep_connection(async {
            assert_eq!(count().await, Some(1));
            // Someone else's change, made while the page reads: not in the page's snapshot.
            let other = store.clone();
            tokio::spawn(async move { sqlx::query("INSERT INTO t VALUES (2)").execute(other.pool()).await.unwrap() }).await.unwrap();
            assert_eq!(count().await, Some(1));
            // The request's own change (a transaction) ends the snapshot: it is seen, as is the other.
            let mut tx = store.begin().await.unwrap();
            sqlx::query("INSERT INTO t VALUES (3)").execute(&mut *tx).await.unwrap();
            crate::commit(tx).await.unwrap();
            assert_eq!(count().await, Some(3));
        })
        .await;
        // Outside a page each statement reads what is there, and the connection went back whole.
        sqlx::query("INSERT INTO t VALUES (4)").execute(store.pool()).await.unwrap();
        assert_eq!(count().await, Some(4));
        assert!(store.lite.as_ref().unwrap().idle.lock().unwrap().iter().all(|c| c.is_autocommit()));
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
