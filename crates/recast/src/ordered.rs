//! A small thread pool for ordered parallel work: jobs run on worker threads while the
//! caller takes each job's result through its [`Ticket`], in whatever order it likes
//! (the record stream takes them in input order).
//!
//! Why not rayon: a rayon `par_iter` per batch puts a barrier after every batch (one
//! core idles while the slowest item finishes), and rayon's idle threads spin before
//! they sleep, which costs a 2-core machine the CPU the writer needs. Here workers
//! sleep on a condition variable as soon as the queue is empty, and the caller, instead
//! of waiting for a result, runs queued jobs itself, so `--threads N` means N busy
//! threads in total: N - 1 workers plus the caller.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};

/// Worker threads and their shared queue of jobs. Dropping the pool drops the jobs not
/// yet started and waits for the running ones.
pub struct Pool {
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
}

struct Shared {
    queue: Mutex<Queue>,
    /// Signalled when a job is queued or the pool closes.
    wake: Condvar,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    closed: bool,
}

struct Job {
    run: Box<dyn FnOnce() + Send>,
    /// Whether the caller may run it while it waits. A job that blocks until the caller
    /// takes what it produces (a streamed file) must run on a worker, or never finish.
    helpable: bool,
}

/// The result of one job, to be taken once.
pub struct Ticket<T> {
    result: Receiver<thread::Result<T>>,
}

impl Pool {
    /// A pool of `workers` threads; with none, every job runs on the caller when it
    /// waits for the job's result.
    pub fn new(workers: usize) -> Pool {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            wake: Condvar::new(),
        });
        let workers = (0..workers)
            .map(|i| {
                let shared = Arc::clone(&shared);
                thread::Builder::new()
                    .name(format!("recast-worker-{i}"))
                    .spawn(move || shared.work())
                    .expect("the operating system can start a thread")
            })
            .collect();
        Pool { shared, workers }
    }

    /// How many worker threads there are (the caller not counted).
    pub fn workers(&self) -> usize {
        self.workers.len()
    }

    /// Queues a job that the caller may also run while waiting for a result.
    pub fn spawn<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Ticket<T> {
        self.submit(work, true)
    }

    /// Queues a job that only a worker may run: one that blocks until the caller takes
    /// what it sends. Needs at least one worker.
    pub fn spawn_blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Ticket<T> {
        assert!(
            !self.workers.is_empty(),
            "a blocking job needs a worker thread"
        );
        self.submit(work, false)
    }

    fn submit<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
        helpable: bool,
    ) -> Ticket<T> {
        let (sender, result) = channel();
        let run = Box::new(move || {
            // A panic is carried to whoever takes the result, and re-raised there.
            let _ = sender.send(catch_unwind(AssertUnwindSafe(work)));
        });
        self.shared.lock().jobs.push_back(Job { run, helpable });
        self.shared.wake.notify_one();
        Ticket { result }
    }

    /// Runs the oldest queued job the caller may run; false if there is none.
    fn help(&self) -> bool {
        let job = {
            let mut queue = self.shared.lock();
            let Some(at) = queue.jobs.iter().position(|job| job.helpable) else {
                return false;
            };
            queue.jobs.remove(at)
        };
        if let Some(job) = job {
            (job.run)();
        }
        true
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        {
            let mut queue = self.shared.lock();
            queue.closed = true;
            queue.jobs.clear();
        }
        self.shared.wake.notify_all();
        for worker in self.workers.drain(..) {
            // A job's panic was caught and handed to its ticket; nothing is left here.
            let _ = worker.join();
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // Jobs run outside the lock, so a poisoned lock still guards a sound queue.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A worker's life: take the oldest job, run it, sleep while there is none.
    fn work(&self) {
        loop {
            let job = {
                let mut queue = self.lock();
                loop {
                    if let Some(job) = queue.jobs.pop_front() {
                        break job;
                    }
                    if queue.closed {
                        return;
                    }
                    queue = self
                        .wake
                        .wait(queue)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            };
            (job.run)();
        }
    }
}

impl<T> Ticket<T> {
    /// The job's result. While it is not ready the caller runs other queued jobs (the
    /// oldest first), and sleeps only when there is none it may run.
    pub fn wait(self, pool: &Pool) -> T {
        loop {
            match self.result.try_recv() {
                Ok(result) => return result.unwrap_or_else(|panic| resume_unwind(panic)),
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    unreachable!("a queued job runs before the pool closes")
                }
            }
            if !pool.help() {
                let result = self
                    .result
                    .recv()
                    .expect("a queued job runs before the pool closes");
                return result.unwrap_or_else(|panic| resume_unwind(panic));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_any_order_asked() {
        for workers in 0..3 {
            let pool = Pool::new(workers);
            let tickets: Vec<_> = (0..50u64)
                .map(|i| {
                    pool.spawn(move || {
                        // Uneven work, so jobs finish out of order.
                        let spin = (0..(50 - i) * 1000).map(std::hint::black_box).sum::<u64>();
                        std::hint::black_box(spin);
                        i
                    })
                })
                .collect();
            let results: Vec<u64> = tickets.into_iter().map(|t| t.wait(&pool)).collect();
            assert_eq!(results, (0..50).collect::<Vec<_>>(), "{workers} workers");
        }
    }

    #[test]
    fn a_panic_reaches_the_caller() {
        let pool = Pool::new(1);
        let ticket = pool.spawn(|| -> u8 { panic!("boom") });
        let caught = catch_unwind(AssertUnwindSafe(|| ticket.wait(&pool)));
        assert!(caught.is_err());
        // The pool still works after a job panicked.
        assert_eq!(pool.spawn(|| 7).wait(&pool), 7);
    }

    #[test]
    fn blocking_jobs_run_on_workers_only() {
        let pool = Pool::new(1);
        let (sender, receiver) = std::sync::mpsc::sync_channel(0);
        let blocking = pool.spawn_blocking(move || {
            for i in 0..3 {
                sender.send(i).unwrap();
            }
        });
        let later = pool.spawn(|| "after");
        // The caller may run `later` itself but never the blocking job it feeds.
        assert_eq!(receiver.iter().collect::<Vec<_>>(), [0, 1, 2]);
        blocking.wait(&pool);
        assert_eq!(later.wait(&pool), "after");
    }
}
