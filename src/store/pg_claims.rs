//! [`Claims`] on PostgreSQL: the `ingest_queue` table of the PostgreSQL store, claimed with
//! `FOR UPDATE SKIP LOCKED`.
//!
//! A row per file offered: its id, content hash, state (`pending`, `claimed`, `done`), the
//! worker that holds or finished it, the holder's key and lease, how often it was claimed,
//! and the outcome. A worker's liveness is its session: on its own connection it holds a
//! session-level advisory lock on its random key for as long as it runs, so the moment the
//! process dies (kill -9, a crash, a lost network) the server drops the lock and every claim
//! of that key is free; `pg_locks`, which every role may read, tells who is alive. A hung
//! worker keeps its session, so its claims also end when their lease runs out unrenewed: a
//! heartbeat thread renews them three times per lease.
//!
//! Two files of the same content are never claimed at once by two workers: a claim takes a
//! transaction lock on the content hash and looks again, so the second worker waits for the
//! first to store the content and then records its file as an alias.

use super::claims::{Claims, Finished, Next};
use super::{Result, StoreError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The first key of a worker's session lock ("annW"); the second is the worker's key.
const WORKER_LOCK: i32 = 0x616e_6e57;
/// The first key of the transaction lock a claim takes on a content hash ("annH").
const CONTENT_LOCK: i32 = 0x616e_6e48;

/// SQL: the holder of row `q` is alive (its session still holds its lock).
fn alive(q: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted \
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         AND l.classid = {WORKER_LOCK}::oid AND l.objid = {q}.holder_key::oid AND l.objsubid = 2)"
    )
}

/// A worker's claims on a PostgreSQL store. Dropping it stops the heartbeat and closes the
/// session (any claim still held is then free for others).
pub struct PgClaims {
    name: String,
    key: i32,
    lease: Duration,
    /// When this worker started, on the server's clock (seconds since the epoch).
    started: f64,
    session: Arc<Mutex<postgres::Client>>,
    stop: Arc<(Mutex<bool>, Condvar)>,
    heartbeat: Option<std::thread::JoinHandle<()>>,
}

fn lock(c: &Mutex<postgres::Client>) -> std::sync::MutexGuard<'_, postgres::Client> {
    c.lock().unwrap_or_else(|e| e.into_inner())
}

impl PgClaims {
    /// Starts worker `name` on the database at `url` (whose store is already migrated):
    /// opens its session, takes its key, and starts renewing its leases of `lease`.
    ///
    /// Errors: the server cannot be reached (the message names the URL without its
    /// password).
    pub fn start(url: &str, name: &str, lease: Duration) -> Result<PgClaims> {
        let location = crate::pg::redact(url);
        let config: postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Backend(format!("{location} is not a PostgreSQL URL: {e}")))?;
        let mut client = config
            .connect(postgres::NoTls)
            .map_err(|e| StoreError::Backend(format!("cannot connect to {location}: {e}")))?;
        let (key, started) = loop {
            let r = client.query_one(
                "SELECT k, pg_try_advisory_lock($1, k), extract(epoch FROM now())::float8 \
                 FROM (SELECT floor(random() * 2147483646)::int4 + 1 AS k) r",
                &[&WORKER_LOCK],
            )?;
            if r.try_get::<_, bool>(1)? {
                break (r.try_get::<_, i32>(0)?, r.try_get::<_, f64>(2)?);
            }
        };
        let session = Arc::new(Mutex::new(client));
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let heartbeat = {
            let (session, stop, name) = (session.clone(), stop.clone(), name.to_string());
            let every = lease / 3;
            let secs = lease.as_secs_f64();
            std::thread::spawn(move || {
                let (flag, cv) = &*stop;
                let mut stopped = flag.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    let (s, _) = cv
                        .wait_timeout(stopped, every)
                        .unwrap_or_else(|e| e.into_inner());
                    stopped = s;
                    if *stopped {
                        return;
                    }
                    // A failed renewal is tried again next time; a lost session loses the
                    // claims anyway, and the writer learns it when it finishes one.
                    let _ = lock(&session).execute(
                        "UPDATE ingest_queue SET lease_until = now() + make_interval(secs => $3) \
                         WHERE state = 'claimed' AND holder_key = $1 AND worker = $2",
                        &[&key, &name, &secs],
                    );
                }
            })
        };
        Ok(PgClaims {
            name: name.to_string(),
            key,
            lease,
            started,
            session,
            stop,
            heartbeat: Some(heartbeat),
        })
    }
}

impl Drop for PgClaims {
    fn drop(&mut self) {
        let (flag, cv) = &*self.stop;
        *flag.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cv.notify_all();
        if let Some(h) = self.heartbeat.take() {
            let _ = h.join();
        }
    }
}

impl Claims for PgClaims {
    fn worker(&self) -> &str {
        &self.name
    }

    fn offer(&self, files: &[(String, String)]) -> Result<()> {
        // In id order, so that two workers offering the same files lock their rows in the
        // same order and never deadlock.
        let mut files = files.to_vec();
        files.sort();
        files.dedup_by(|a, b| a.0 == b.0);
        let (docs, hashes): (Vec<String>, Vec<String>) = files.into_iter().unzip();
        lock(&self.session).execute(
            "INSERT INTO ingest_queue (doc_id, sha256, state) \
             SELECT d, s, 'pending' FROM unnest($1::text[], $2::text[]) AS t (d, s) \
             ON CONFLICT (doc_id) DO UPDATE SET sha256 = EXCLUDED.sha256, state = 'pending', \
                 worker = NULL, holder_key = NULL, lease_until = NULL, outcome = NULL, \
                 finished_at = NULL, queued_at = now() \
             WHERE (ingest_queue.state = 'pending' AND ingest_queue.sha256 <> EXCLUDED.sha256) \
                OR (ingest_queue.state = 'done' AND (ingest_queue.sha256 <> EXCLUDED.sha256 \
                    OR ingest_queue.finished_at < to_timestamp($3)))",
            &[&docs, &hashes, &self.started],
        )?;
        Ok(())
    }

    fn claim_next(&self, docs: &[String]) -> Result<Next> {
        let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
        let mut skipped: Vec<String> = Vec::new();
        let mut c = lock(&self.session);
        loop {
            let mut tx = c.transaction()?;
            let next = format!(
                "SELECT q.doc_id, q.sha256, CASE WHEN q.state = 'claimed' THEN q.worker END, \
                 EXISTS (SELECT 1 FROM documents d WHERE d.id = q.doc_id AND d.sha256 = q.sha256) \
                 FROM ingest_queue q \
                 WHERE q.doc_id = ANY($1) AND NOT (q.doc_id = ANY($2)) AND q.state <> 'done' \
                   AND (q.state = 'pending' OR q.lease_until < now() OR NOT {}) \
                 ORDER BY q.doc_id LIMIT 1 FOR UPDATE OF q SKIP LOCKED",
                alive("q")
            );
            let Some(row) = tx.query_opt(&next, &[&docs, &skipped])? else {
                let open: i64 = tx
                    .query_one(
                        "SELECT count(*) FROM ingest_queue WHERE doc_id = ANY($1) AND state <> 'done'",
                        &[&docs],
                    )?
                    .try_get(0)?;
                tx.commit()?;
                return Ok(if open > 0 { Next::Wait } else { Next::Done });
            };
            let doc: String = row.try_get(0)?;
            let sha256: String = row.try_get(1)?;
            let taken_from: Option<String> = row.try_get(2)?;
            let stored: bool = row.try_get(3)?;
            // Another live worker holding the same content claimed it first: this file
            // waits (it becomes an alias once that one is stored).
            tx.execute(
                "SELECT pg_advisory_xact_lock($1, hashtext($2))",
                &[&CONTENT_LOCK, &sha256],
            )?;
            let twin = format!(
                "SELECT 1 FROM ingest_queue o WHERE o.sha256 = $1 AND o.doc_id <> $2 \
                 AND o.state = 'claimed' AND o.lease_until >= now() AND {}",
                alive("o")
            );
            if tx.query_opt(&twin, &[&sha256, &doc])?.is_some() {
                tx.commit()?;
                skipped.push(doc);
                continue;
            }
            tx.execute(
                "UPDATE ingest_queue SET state = 'claimed', worker = $2, holder_key = $3, \
                 lease_until = now() + make_interval(secs => $4), claims = claims + 1 \
                 WHERE doc_id = $1",
                &[&doc, &self.name, &self.key, &self.lease.as_secs_f64()],
            )?;
            tx.commit()?;
            return Ok(Next::Claimed {
                doc,
                sha256,
                taken_from,
                stored,
            });
        }
    }

    fn finish(&self, doc: &str, outcome: &str) -> Result<bool> {
        let n = lock(&self.session).execute(
            "UPDATE ingest_queue SET state = 'done', outcome = $3, finished_at = now(), \
             lease_until = NULL WHERE doc_id = $1 AND state = 'claimed' AND holder_key = $2 \
             AND worker = $4",
            &[&doc, &self.key, &outcome, &self.name],
        )?;
        Ok(n == 1)
    }

    fn finished(&self, docs: &[String]) -> Result<Vec<Finished>> {
        let rows = lock(&self.session).query(
            "SELECT doc_id, worker, outcome, finished_at >= to_timestamp($2) FROM ingest_queue \
             WHERE doc_id = ANY($1) AND state = 'done' ORDER BY doc_id",
            &[&docs, &self.started],
        )?;
        rows.iter()
            .map(|r| {
                Ok(Finished {
                    doc: r.try_get(0)?,
                    worker: r.try_get::<_, Option<String>>(1)?.unwrap_or_default(),
                    outcome: r.try_get::<_, Option<String>>(2)?.unwrap_or_default(),
                    in_this_run: r.try_get::<_, Option<bool>>(3)?.unwrap_or(false),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh, migrated database of the test server, or `None` when none is configured.
    fn fresh() -> Option<String> {
        let Some(url) = crate::pg::fresh_test_db() else {
            println!("skipped: no ANNALS_TEST_POSTGRES");
            return None;
        };
        crate::store::postgres::PgStore::open(&url).expect("migrate");
        Some(url)
    }

    fn files(n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| (format!("f{i:02}"), format!("sha{i:02}")))
            .collect()
    }

    fn ids(f: &[(String, String)]) -> Vec<String> {
        f.iter().map(|(d, _)| d.clone()).collect()
    }

    fn claimed(n: Next) -> String {
        match n {
            Next::Claimed { doc, .. } => doc,
            other => panic!("expected a claim, got {other:?}"),
        }
    }

    #[test]
    fn workers_claim_each_file_once_and_wait_for_what_others_hold() {
        let Some(url) = fresh() else { return };
        let lease = Duration::from_secs(30);
        let (a, b) = (
            PgClaims::start(&url, "a", lease).unwrap(),
            PgClaims::start(&url, "b", lease).unwrap(),
        );
        let f = files(6);
        a.offer(&f).unwrap();
        b.offer(&f).unwrap();
        let docs = ids(&f);
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..6 {
            let w = if i % 2 == 0 { &a } else { &b };
            let doc = claimed(w.claim_next(&docs).unwrap());
            assert!(seen.insert(doc.clone()), "{doc} claimed twice");
        }
        // All held by live workers: wait, not done.
        assert_eq!(a.claim_next(&docs).unwrap(), Next::Wait);
        for d in &docs {
            let mine = a.finish(d, "added").unwrap();
            let theirs = b.finish(d, "added").unwrap();
            assert!(mine ^ theirs, "{d} finished by exactly its holder");
        }
        assert_eq!(b.claim_next(&docs).unwrap(), Next::Done);
        let done = a.finished(&docs).unwrap();
        assert_eq!(done.len(), 6);
        assert!(done.iter().all(|f| f.in_this_run && f.outcome == "added"));
        // Offered again with the same content in this run: nothing to do.
        b.offer(&f).unwrap();
        assert_eq!(b.claim_next(&docs).unwrap(), Next::Done);
        // A later run offers only what its store lacks (a changed file, one rejected
        // before): whatever ended before that worker started is claimable again.
        std::thread::sleep(Duration::from_millis(20));
        let c = PgClaims::start(&url, "c", lease).unwrap();
        let again = vec![
            ("f01".to_string(), "sha-new".to_string()),
            ("f04".to_string(), "sha04".to_string()),
        ];
        c.offer(&again).unwrap();
        assert_eq!(claimed(c.claim_next(&docs).unwrap()), "f01");
        assert_eq!(claimed(c.claim_next(&docs).unwrap()), "f04");
        assert_eq!(c.claim_next(&docs).unwrap(), Next::Wait);
        assert!(c.finish("f01", "replaced").unwrap() && c.finish("f04", "rejected").unwrap());
        let done = a.finished(&docs).unwrap();
        assert_eq!(
            done.iter().filter(|f| f.worker == "c").count(),
            2,
            "{done:?}"
        );
    }

    #[test]
    fn a_lost_worker_s_claims_are_taken_over_at_once() {
        let Some(url) = fresh() else { return };
        let lease = Duration::from_secs(300);
        let f = files(2);
        let docs = ids(&f);
        let b = PgClaims::start(&url, "b", lease).unwrap();
        {
            let a = PgClaims::start(&url, "a", lease).unwrap();
            a.offer(&f).unwrap();
            assert_eq!(claimed(a.claim_next(&docs).unwrap()), "f00");
            assert_eq!(claimed(b.claim_next(&docs).unwrap()), "f01");
            assert_eq!(b.claim_next(&docs).unwrap(), Next::Wait);
        } // a's session ends, as when its process is killed
        match b.claim_next(&docs).unwrap() {
            Next::Claimed {
                doc, taken_from, ..
            } => {
                assert_eq!(doc, "f00");
                assert_eq!(taken_from.as_deref(), Some("a"));
            }
            other => panic!("not taken over: {other:?}"),
        }
    }

    #[test]
    fn a_hung_worker_s_claims_end_with_their_lease() {
        let Some(url) = fresh() else { return };
        let f = files(1);
        let docs = ids(&f);
        // `a` would renew after 100 s; its lease is made to run out now, as when a
        // worker hangs with its session open.
        let a = PgClaims::start(&url, "a", Duration::from_secs(300)).unwrap();
        a.offer(&f).unwrap();
        assert_eq!(claimed(a.claim_next(&docs).unwrap()), "f00");
        lock(&a.session)
            .execute(
                "UPDATE ingest_queue SET lease_until = now() - interval '1 second'",
                &[],
            )
            .unwrap();
        let b = PgClaims::start(&url, "b", Duration::from_secs(300)).unwrap();
        assert_eq!(claimed(b.claim_next(&docs).unwrap()), "f00");
        assert!(!a.finish("f00", "added").unwrap(), "a no longer holds it");
        assert!(b.finish("f00", "added").unwrap());
    }

    #[test]
    fn two_files_of_one_content_are_never_held_at_once() {
        let Some(url) = fresh() else { return };
        let lease = Duration::from_secs(30);
        let (a, b) = (
            PgClaims::start(&url, "a", lease).unwrap(),
            PgClaims::start(&url, "b", lease).unwrap(),
        );
        let f = vec![
            ("copy".to_string(), "same".to_string()),
            ("original".to_string(), "same".to_string()),
        ];
        a.offer(&f).unwrap();
        let docs = ids(&f);
        assert_eq!(claimed(a.claim_next(&docs).unwrap()), "copy");
        assert_eq!(b.claim_next(&docs).unwrap(), Next::Wait);
        assert!(a.finish("copy", "added").unwrap());
        assert_eq!(claimed(b.claim_next(&docs).unwrap()), "original");
    }
}
