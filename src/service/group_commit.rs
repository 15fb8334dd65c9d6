//! Group commit: requests that each want one small write committed hand it to one worker
//! thread, which writes whatever has queued meanwhile in one transaction and answers each
//! request only after that commit. On PostgreSQL every commit waits for its WAL to reach the
//! disk (Debian's defaults: `fsync` and `synchronous_commit` on); a group pays that wait once,
//! and every answer still means "written and committed".
//!
//! There is no waiting window: the worker writes the first job at once, and a group is what
//! queued while the previous one was written. A lone request waits for nothing but its own
//! write; under load the groups grow by themselves.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

/// What became of a job.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome<J, R> {
    /// Written and committed with its group; `R` is its own result (which may be "declined").
    Done(R),
    /// Not written: its group failed and was rolled back (an error, a lock wait given up, no
    /// connection), or there is no worker. The caller writes it on its own, as it would
    /// without one, and answers with what that gives, error included.
    Alone(J),
    /// Not written: it queued longer than the worker's patience, or the worker stopped
    /// under it. Why, for the 503.
    Unavailable(&'static str),
}

struct Queued<J, R> {
    job: J,
    since: Instant,
    reply: oneshot::Sender<Outcome<J, R>>,
}

/// Where requests queue their jobs. The worker thread ends once its `Committer` is dropped.
pub struct Committer<J, R> {
    queue: mpsc::Sender<Queued<J, R>>,
}

impl<J, R> std::fmt::Debug for Committer<J, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Committer")
    }
}

impl<J: Send + 'static, R: Send + 'static> Committer<J, R> {
    /// Starts the worker thread. `write` writes a group of at most `most` jobs in one
    /// transaction and returns each job's result in order, or `None` when it rolled the group
    /// back. A job that queued longer than `patience` is not written (the pool's
    /// `connect_timeout_secs`: what a request waits for a connection).
    pub fn start<W>(name: &str, most: usize, patience: Duration, mut write: W) -> std::io::Result<Self>
    where
        W: FnMut(&[J]) -> Option<Vec<R>> + Send + 'static,
    {
        let (queue, queued) = mpsc::channel::<Queued<J, R>>();
        std::thread::Builder::new().name(name.into()).spawn(move || {
            while let Ok(first) = queued.recv() {
                let mut group = vec![first];
                group.extend(queued.try_iter().take(most.saturating_sub(1)));
                let (late, group): (Vec<_>, Vec<_>) =
                    group.into_iter().partition(|q| q.since.elapsed() > patience);
                for q in late {
                    let _ = q.reply.send(Outcome::Unavailable("timed out waiting for a turn"));
                }
                let (jobs, replies): (Vec<J>, Vec<_>) = group.into_iter().map(|q| (q.job, q.reply)).unzip();
                if jobs.is_empty() {
                    continue;
                }
                // A requester that went away meanwhile is answered all the same (the send
                // fails): its write was made, as it would have been on its own.
                match write(&jobs) {
                    Some(results) if results.len() == jobs.len() => {
                        for (reply, result) in replies.into_iter().zip(results) {
                            let _ = reply.send(Outcome::Done(result));
                        }
                    }
                    _ => {
                        for (reply, job) in replies.into_iter().zip(jobs) {
                            let _ = reply.send(Outcome::Alone(job));
                        }
                    }
                }
            }
        })?;
        Ok(Committer { queue })
    }

    /// Queues `job` and waits until its group is committed (or given back).
    pub async fn submit(&self, job: J) -> Outcome<J, R> {
        let (reply, answer) = oneshot::channel();
        let queued = Queued {
            job,
            since: Instant::now(),
            reply,
        };
        if let Err(mpsc::SendError(queued)) = self.queue.send(queued) {
            // The worker is gone (it panicked): nothing was written.
            return Outcome::Alone(queued.job);
        }
        answer
            .await
            .unwrap_or(Outcome::Unavailable("the autosave worker stopped"))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    type Groups = Arc<Mutex<Vec<Vec<u32>>>>;

    /// A worker that records every group it writes and holds its first group until `open`
    /// sends, saying on `entered` that it holds it. Job 0 fails its group; job 1 is declined
    /// (`None`); any other job is written as itself.
    async fn held(
        most: usize,
        patience: Duration,
    ) -> (Arc<Committer<u32, Option<u32>>>, Groups, mpsc::Sender<()>) {
        let groups = Groups::default();
        let (open, gate) = mpsc::channel();
        let (enter, entered) = mpsc::channel();
        let seen = Arc::clone(&groups);
        let mut first = true;
        let committer = Committer::start("committer", most, patience, move |jobs: &[u32]| {
            if std::mem::take(&mut first) {
                let _ = enter.send(());
                let _ = gate.recv();
            }
            seen.lock().unwrap().push(jobs.to_vec());
            if jobs.contains(&0) {
                return None;
            }
            Some(jobs.iter().map(|&j| (j != 1).then_some(j)).collect())
        })
        .unwrap();
        let committer = Arc::new(committer);
        // The first job is written at once, alone: the worker holds it before the test goes on.
        let probe = Arc::clone(&committer);
        tokio::spawn(async move { probe.submit(2).await });
        tokio::task::yield_now().await;
        entered.recv_timeout(Duration::from_secs(30)).unwrap();
        (committer, groups, open)
    }

    /// Queues `job` from a task of its own; on the test's single-threaded runtime it is
    /// queued once the test next awaits, in the order of the calls.
    fn submit(
        committer: &Arc<Committer<u32, Option<u32>>>,
        job: u32,
    ) -> tokio::task::JoinHandle<Outcome<u32, Option<u32>>> {
        let committer = Arc::clone(committer);
        tokio::spawn(async move { committer.submit(job).await })
    }

    #[tokio::test]
    async fn jobs_queued_while_a_group_is_written_are_written_together_each_with_its_result() {
        let (committer, groups, open) = held(3, Duration::from_secs(60)).await;
        let queued: Vec<_> = [11, 1, 12, 13]
            .into_iter()
            .map(|j| submit(&committer, j))
            .collect();
        tokio::task::yield_now().await;
        open.send(()).unwrap();
        let mut outcomes = Vec::new();
        for job in queued {
            outcomes.push(job.await.unwrap());
        }
        assert_eq!(
            outcomes,
            [
                Outcome::Done(Some(11)),
                Outcome::Done(None),
                Outcome::Done(Some(12)),
                Outcome::Done(Some(13)),
            ]
        );
        // At most three a group, in the order they queued.
        assert_eq!(*groups.lock().unwrap(), [vec![2], vec![11, 1, 12], vec![13]]);
    }

    #[tokio::test]
    async fn a_failed_group_gives_every_job_back_and_late_jobs_are_not_written() {
        let (committer, groups, open) = held(8, Duration::from_millis(100)).await;
        let late = submit(&committer, 21);
        tokio::time::sleep(Duration::from_millis(300)).await;
        open.send(()).unwrap();
        assert!(matches!(late.await.unwrap(), Outcome::Unavailable(_)));
        let (failing, other) = (submit(&committer, 0), submit(&committer, 22));
        let (failing, other) = (failing.await.unwrap(), other.await.unwrap());
        let groups = groups.lock().unwrap().clone();
        assert!(!groups.concat().contains(&21), "{groups:?}");
        assert_eq!(failing, Outcome::Alone(0));
        // 22 is given back only if it was in 0's group.
        if groups.iter().any(|g| g.contains(&0) && g.contains(&22)) {
            assert_eq!(other, Outcome::Alone(22));
        } else {
            assert_eq!(other, Outcome::Done(Some(22)));
        }
    }
}
