//! PostgreSQL connections, shared by the PostgreSQL store ([`crate::store::postgres`]) and
//! search ([`crate::search::postgres`]).
//!
//! A data location that is a `postgresql://` (or `postgres://`) URL names a database on an
//! existing server; anything else is a folder of the embedded store. The URL is libpq's:
//! `postgresql://user:password@host:5432/db`, or a Unix socket folder as
//! `postgresql://user@/db?host=/run/postgresql`.
//!
//! The driver is the synchronous `postgres` crate (over `tokio-postgres`): the store and
//! search traits are synchronous, and the server calls them from blocking threads. It must
//! not be called from inside an async task (it runs its own runtime).

use anyhow::{Context, Result};

/// A pool of connections to one database.
pub type Pool = r2d2::Pool<r2d2_postgres::PostgresConnectionManager<postgres::NoTls>>;

/// True when `location` names a PostgreSQL database rather than a folder.
///
/// ```
/// assert!(annals::pg::is_url("postgresql://annals@db.example/annals"));
/// assert!(annals::pg::is_url("postgres://u@/annals?host=/run/postgresql"));
/// assert!(!annals::pg::is_url("./data"));
/// ```
pub fn is_url(location: &str) -> bool {
    location.starts_with("postgresql://") || location.starts_with("postgres://")
}

/// A pool of at most `size` connections to the database at `url`, checked by opening one.
///
/// Errors: the URL does not parse, or the server cannot be reached or refuses the login
/// (the message says which, without the password).
pub fn pool(url: &str, size: u32) -> Result<Pool> {
    let config: postgres::Config = url
        .parse()
        .with_context(|| format!("{} is not a PostgreSQL URL", redact(url)))?;
    let manager = r2d2_postgres::PostgresConnectionManager::new(config, postgres::NoTls);
    r2d2::Pool::builder()
        .max_size(size.max(1))
        // Connections are opened as they are needed (one at first): a server opens an
        // archive per thread, and a pool that opened all of them at once would exhaust the
        // server's connections.
        .min_idle(Some(1))
        .connection_timeout(std::time::Duration::from_secs(15))
        .build(manager)
        .with_context(|| format!("cannot connect to {}", redact(url)))
}

/// A data location for messages: a folder as it is, a PostgreSQL URL without its password.
pub fn shown(location: &std::path::Path) -> String {
    let s = location.display().to_string();
    if is_url(&s) { redact(&s) } else { s }
}

/// The URL with any password replaced by `***` (for messages and logs).
///
/// ```
/// assert_eq!(
///     annals::pg::redact("postgresql://u:secret@h/db"),
///     "postgresql://u:***@h/db"
/// );
/// ```
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or("");
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_string(),
    }
}

/// The channel on which every change readers should see is announced (`NOTIFY`) when it
/// commits: a document stored, an alias, a rejection, a curation, documents indexed.
pub const CHANGES: &str = "annals_changes";

/// Listens for changes to the database at `url` on a thread of its own: `LISTEN` on
/// [`CHANGES`] over a connection of its own, calling `changed` with the payloads of each
/// burst of notifications (what arrived within a few milliseconds of the first), and with
/// an empty slice every few seconds when nothing came. `changed` returns false to stop.
///
/// Guarantees: a change committed while the connection is up is announced; when the
/// connection is lost the thread connects again (every 2 s) and then calls `changed` with
/// `["*"]`, since changes made meanwhile were not heard. So a caller that reads the store
/// again on every non-empty call never misses a change for long.
///
/// Errors: none returned; the thread keeps trying while `changed` wants it to.
pub fn listen(
    url: &str,
    mut changed: impl FnMut(&[String]) -> bool + Send + 'static,
) -> std::thread::JoinHandle<()> {
    use postgres::fallible_iterator::FallibleIterator;
    use std::time::Duration;
    let url = url.to_string();
    std::thread::spawn(move || {
        let mut first = true;
        loop {
            let mut client = match postgres::Client::connect(&url, postgres::NoTls)
                .and_then(|mut c| c.batch_execute(&format!("LISTEN {CHANGES}")).map(|()| c))
            {
                Ok(c) => c,
                Err(_) => {
                    if !changed(&[]) {
                        return;
                    }
                    std::thread::sleep(Duration::from_secs(2));
                    continue;
                }
            };
            if !first && !changed(&["*".to_string()]) {
                return;
            }
            first = false;
            loop {
                let mut burst: Vec<String> = Vec::new();
                let mut lost = false;
                {
                    let mut n = client.notifications();
                    match n.timeout_iter(Duration::from_secs(5)).next() {
                        Ok(Some(x)) => burst.push(x.payload().to_string()),
                        Err(_) => lost = true,
                        Ok(None) => {}
                    }
                    if !burst.is_empty() {
                        // What follows at once belongs to the same burst (an ingest's
                        // documents, one after another).
                        let mut more = n.timeout_iter(Duration::from_millis(20));
                        while let Ok(Some(x)) = more.next() {
                            burst.push(x.payload().to_string());
                            if burst.len() >= 10_000 {
                                break;
                            }
                        }
                    }
                }
                if !changed(&burst) {
                    return;
                }
                if lost || client.is_closed() {
                    break;
                }
            }
        }
    })
}

/// The URL of the test database (`ANNALS_TEST_POSTGRES`), for tests that run against a
/// real server; `None` when unset. With `ANNALS_POSTGRES_TESTS=required` an unset URL is an
/// error instead (CI starts a throwaway cluster with `scripts/pg-test-cluster`).
pub fn test_url() -> Option<String> {
    match std::env::var("ANNALS_TEST_POSTGRES") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            assert!(
                std::env::var("ANNALS_POSTGRES_TESTS").as_deref() != Ok("required"),
                "ANNALS_POSTGRES_TESTS=required but ANNALS_TEST_POSTGRES is not set: start a cluster with scripts/pg-test-cluster start DIR"
            );
            None
        }
    }
}

/// A new, empty database on the test server (`ANNALS_TEST_POSTGRES`), named uniquely, with
/// its URL: each test gets its own, so tests run in parallel without seeing each other.
/// `None` when no test server is configured (see [`test_url`]).
pub fn fresh_test_db() -> Option<String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let url = test_url()?;
    let name = format!(
        "annals_t_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let mut admin = postgres::Client::connect(&url, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to the test server {}: {e}", redact(&url)));
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
    Some(with_database(&url, &name))
}

/// `url` with its database name replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgresql", url));
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let authority = before_query.split('/').next().unwrap_or("");
    let mut out = format!("{scheme}://{authority}/{db}");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_name_is_swapped_keeping_the_socket() {
        assert_eq!(
            with_database("postgresql://postgres@/annals_test?host=/tmp/x", "t1"),
            "postgresql://postgres@/t1?host=/tmp/x"
        );
        assert_eq!(
            with_database("postgres://u:p@h:5432/a", "b"),
            "postgres://u:p@h:5432/b"
        );
    }

    #[test]
    fn passwords_never_show() {
        assert_eq!(redact("postgresql://a@h/db"), "postgresql://a@h/db");
        assert!(!redact("postgresql://a:pw@h/db").contains("pw"));
    }
}
