//! A word-prefix search that both databases serve from one index: the words of a record
//! (names, numbers, e-mail, city), folded to lower case without accents, in `search_words`.
//! A query matches a record when every word of the query starts one of the record's words, so
//! "jans bakk" finds "Bakkerij Jansen" and "c0001" finds customer C000123. Each lookup is a
//! range scan of the primary key, fast at a million records whatever the query.
//!
//! A text with spaces in it (a name, a street) also gives its adjacent words joined, two and
//! three at a time, so "devries" finds "Bakkerij De Vries" and "vanderberg" "Van der Berg": names
//! are typed both ways. Services are searchable by the words of their label, so "rossiweb.it"
//! finds `vps.rossiweb.it` as well as `rossiweb.it` itself.

use crate::read::Arg;
use crate::{Conn, Store, StoreError};

/// Customer cards are searchable.
pub const CUSTOMER: &str = "customer";
/// Services (subscriptions) are searchable by their label: a domain, a server name.
pub const SERVICE: &str = "service";

/// At most this many words per record are kept (a text's own words before the joined ones).
const MAX_WORDS: usize = 48;
/// Longer words are cut (a prefix search never needs more).
const MAX_WORD: usize = 40;

/// A letter without its accent, in lower case (Latin letters of the languages Loket serves).
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

/// The words of `text`, folded: letters and digits, split at everything else.
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let folded: String = w.chars().map(fold).take(MAX_WORD).collect();
        if !out.contains(&folded) {
            out.push(folded);
        }
    }
    out
}

/// The words a record is found by: every word of every text, then, for the texts with spaces in
/// them, adjacent words joined two and three at a time; at most [`MAX_WORDS`].
pub fn record_words<S: AsRef<str>>(texts: &[S]) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    let add = |w: String, all: &mut Vec<String>| {
        if all.len() < MAX_WORDS && !all.contains(&w) {
            all.push(w);
        }
    };
    let split: Vec<(bool, Vec<String>)> = texts.iter().map(|t| (t.as_ref().contains(' '), words(t.as_ref()))).collect();
    for (_, ws) in &split {
        for w in ws {
            add(w.clone(), &mut all);
        }
    }
    for (spaced, ws) in &split {
        if !spaced {
            continue;
        }
        for n in 2..=3 {
            for run in ws.windows(n) {
                add(run.concat().chars().take(MAX_WORD).collect(), &mut all);
            }
        }
    }
    all
}

/// Replaces the words of record `id` of `kind` by those of `texts`.
pub async fn index(conn: &mut Conn, kind: &str, id: i64, texts: &[&str]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM search_words WHERE kind = $1 AND entity_id = $2").bind(kind).bind(id).execute(&mut *conn).await?;
    index_many(conn, kind, &[(id, texts.iter().map(|t| t.to_string()).collect())]).await
}

/// Adds the words of many new records at once.
pub async fn index_many(conn: &mut Conn, kind: &str, records: &[(i64, Vec<String>)]) -> Result<(), StoreError> {
    let mut rows: Vec<Vec<crate::billing::V>> = Vec::new();
    for (id, texts) in records {
        rows.extend(
            record_words(texts)
                .into_iter()
                .map(|w| vec![crate::billing::V::from(kind), crate::billing::V::T(w), crate::billing::V::I(*id)]),
        );
    }
    crate::billing::insert_rows(conn, "search_words", &["kind", "word", "entity_id"], &rows).await
}

/// Up to `limit` records of `kind` whose words start with every word of `query`, in the order
/// of their first matching word. The rarest word of the query drives the index range; the
/// others are checked per candidate.
pub async fn find(store: &Store, kind: &str, query: &str, limit: usize) -> Result<Vec<i64>, StoreError> {
    let mut q = words(query);
    q.truncate(5);
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let upper = |w: &str| format!("{w}\u{10FFFF}");
    if q.len() > 1 {
        let mut counted = Vec::with_capacity(q.len());
        for w in &q {
            let hi = upper(w);
            let n: i64 = store
                .read_one(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM search_words WHERE kind = $1 AND word >= $2 AND word < $3 LIMIT 1001) AS m",
                    &[Arg::Text(kind), Arg::Text(w), Arg::Text(&hi)],
                    |r| Ok(r.try_get::<i64, _>(0usize)?),
                )
                .await?
                .unwrap_or(0);
            counted.push((n, w.clone()));
        }
        counted.sort();
        q = counted.into_iter().map(|(_, w)| w).collect();
    }
    let first = q[0].clone();
    let rest = &q[1..];
    let uppers: Vec<String> = q.iter().map(|w| upper(w)).collect();
    let mut conds = String::new();
    let mut n = 3;
    for _ in rest {
        conds.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM search_words o WHERE o.kind = $1 AND o.entity_id = w.entity_id AND o.word >= ${} AND o.word < ${})",
            n + 1,
            n + 2
        ));
        n += 2;
    }
    let base = format!("SELECT w.word, w.entity_id FROM search_words w WHERE w.kind = $1 AND w.word >= $2 AND w.word < $3{conds}");
    // The first page without a keyset (the planner then takes the prefix as the range); later
    // pages continue after the last (word, id) as a row value, which keeps the range too.
    let first_page = format!("{base} ORDER BY w.word, w.entity_id LIMIT CAST(${} AS BIGINT)", n + 1);
    let next_page = format!(
        "{base} AND (w.word, w.entity_id) > (${}, ${}) ORDER BY w.word, w.entity_id LIMIT CAST(${} AS BIGINT)",
        n + 1,
        n + 2,
        n + 3
    );
    let mut after: Option<(String, i64)> = None;
    let mut found: Vec<i64> = Vec::new();
    let page = (limit * 2).clamp(10, 1000) as i64;
    loop {
        let sql = if after.is_some() { &next_page } else { &first_page };
        let mut args = vec![Arg::Text(kind), Arg::Text(&first), Arg::Text(&uppers[0])];
        for (w, hi) in rest.iter().zip(&uppers[1..]) {
            args.push(Arg::Text(w));
            args.push(Arg::Text(hi));
        }
        if let Some((word, id)) = &after {
            args.push(Arg::Text(word));
            args.push(Arg::Int(*id));
        }
        args.push(Arg::Int(page));
        let rows = store.read(sql, &args, |r| Ok((r.try_get::<String, _>(0usize)?, r.try_get::<i64, _>(1usize)?))).await?;
        for (_, id) in &rows {
            let id = *id;
            if !found.contains(&id) {
                found.push(id);
                if found.len() >= limit {
                    return Ok(found);
                }
            }
        }
        let full = rows.len() as i64 == page;
        match rows.into_iter().last() {
            Some(last) if full => after = Some(last),
            _ => return Ok(found),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_split() {
        assert_eq!(words("Bakkerij Jansen"), ["bakkerij", "jansen"]);
        assert_eq!(words("Caffè Società Srl"), ["caffe", "societa", "srl"]);
        assert_eq!(words("info@jansen.nl"), ["info", "jansen", "nl"]);
        assert_eq!(words("C000123"), ["c000123"]);
        assert_eq!(words("  "), Vec::<String>::new());
    }

    #[test]
    fn names_are_found_written_together_and_domains_by_their_words() {
        let w = record_words(&["Bakkerij De Vries", "eigenaar@bakkerijdevries.test"]);
        for want in ["bakkerij", "de", "vries", "eigenaar", "bakkerijdevries", "test", "bakkerijde", "devries"] {
            assert!(w.iter().any(|x| x == want), "{want} missing from {w:?}");
        }
        // An address without spaces is not joined: its parts are typed apart.
        assert!(!w.iter().any(|x| x == "eigenaarbakkerijdevries"));
        let w = record_words(&["Van der Berg Hosting"]);
        assert!(w.iter().any(|x| x == "vanderberg") && w.iter().any(|x| x == "derberg"));
        assert_eq!(record_words(&["vps.rossiweb.it"]), ["vps", "rossiweb", "it"]);
    }

    #[test]
    fn a_record_keeps_its_own_words_before_joined_ones() {
        let long: Vec<String> = (0..60).map(|i| format!("w{i}")).collect();
        let w = record_words(&[long.join(" ")]);
        assert_eq!(w.len(), MAX_WORDS);
        assert!(w.iter().all(|x| x.len() <= 3), "only single words fit: {w:?}");
    }
}
