//! [`in_order`]: jobs worked on several threads, their results taken in job order.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use recast_model::Result;

/// Runs `work` on each job of `jobs` on `threads` threads and hands the results to
/// `take` in the jobs' order. At most two jobs per thread are read ahead or waiting to
/// be taken, so memory holds a few jobs whatever their number. The first error (reading
/// a job, working on it, taking its result) stops the rest and is returned.
pub(crate) fn in_order<J, R>(
    jobs: impl Iterator<Item = Result<J>>,
    threads: usize,
    work: impl Fn(J) -> Result<R> + Sync,
    mut take: impl FnMut(R) -> Result<()>,
) -> Result<()>
where
    J: Send,
    R: Send,
{
    let threads = threads.max(1);
    let limit = threads * 2;
    std::thread::scope(|scope| {
        let (job_sender, job_receiver) = mpsc::sync_channel::<(usize, J)>(limit);
        let job_receiver = Arc::new(Mutex::new(job_receiver));
        let (result_sender, result_receiver) = mpsc::channel::<(usize, Result<R>)>();
        for _ in 0..threads {
            let job_receiver = Arc::clone(&job_receiver);
            let result_sender = result_sender.clone();
            let work = &work;
            scope.spawn(move || {
                loop {
                    // The lock is held only to take a job, never while working.
                    let next = job_receiver.lock().map(|r| r.recv());
                    let Ok(Ok((index, job))) = next else { return };
                    if result_sender.send((index, work(job))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(result_sender);

        let mut taker = Taker {
            waiting: BTreeMap::new(),
            next: 0,
            take: &mut take,
            results: &result_receiver,
        };
        let mut sent = 0;
        let mut outcome = Ok(());
        for job in jobs {
            let job = match job {
                Ok(job) => job,
                Err(error) => {
                    outcome = Err(error);
                    break;
                }
            };
            while outcome.is_ok() && sent - taker.next >= limit {
                outcome = taker.settle(true);
            }
            if outcome.is_err() {
                break;
            }
            job_sender
                .send((sent, job))
                .expect("workers run until the job channel closes");
            sent += 1;
            outcome = taker.settle(false);
            if outcome.is_err() {
                break;
            }
        }
        drop(job_sender);
        while outcome.is_ok() && taker.next < sent {
            outcome = taker.settle(true);
        }
        outcome
    })
}

/// Results that came before their turn, and where the turn is.
struct Taker<'a, R, T> {
    waiting: BTreeMap<usize, R>,
    /// The index of the next result to take.
    next: usize,
    take: &'a mut T,
    results: &'a mpsc::Receiver<(usize, Result<R>)>,
}

impl<R, T: FnMut(R) -> Result<()>> Taker<'_, R, T> {
    /// Takes the results that are ready, in order; first waits for one when `block`
    /// (so that at least one job is done when it returns).
    fn settle(&mut self, block: bool) -> Result<()> {
        if block {
            let (index, result) = self
                .results
                .recv()
                .expect("a worker answers every job it takes");
            self.waiting.insert(index, result?);
        }
        while let Ok((index, result)) = self.results.try_recv() {
            self.waiting.insert(index, result?);
        }
        while let Some(result) = self.waiting.remove(&self.next) {
            (self.take)(result)?;
            self.next += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use recast_model::{Error, Location};

    #[test]
    fn results_come_in_job_order() {
        let mut seen = Vec::new();
        in_order(
            (0..100u64).map(Ok),
            3,
            |n| {
                // Later jobs finish first.
                std::thread::sleep(std::time::Duration::from_micros(100 - n));
                Ok(n * 2)
            },
            |r| {
                seen.push(r);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..100).map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn an_error_stops_the_work_and_is_returned() {
        let outcome = in_order(
            (0..1000u32).map(Ok),
            2,
            |n| match n {
                7 => Err(Error::data(Location::default(), "job 7 failed")),
                n => Ok(n),
            },
            |_| Ok(()),
        );
        assert!(outcome.unwrap_err().message.contains("job 7"));
    }
}
