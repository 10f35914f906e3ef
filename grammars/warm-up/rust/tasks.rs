// Ananke grammar warm-up text: original code, not part of the build.

//! A tiny single-threaded executor plus a thread-based job queue.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

struct Task {
    future: Mutex<Option<BoxFuture>>,
    queue: Arc<Mutex<VecDeque<Arc<Task>>>>,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        let queue = Arc::clone(&self.queue);
        queue.lock().unwrap().push_back(self);
    }
}

/// Runs futures to completion on the calling thread.
#[derive(Default)]
pub struct Executor {
    queue: Arc<Mutex<VecDeque<Arc<Task>>>>,
}

impl Executor {
    pub fn spawn<F>(&self, fut: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let task = Arc::new(Task {
            future: Mutex::new(Some(Box::pin(fut))),
            queue: Arc::clone(&self.queue),
        });
        self.queue.lock().unwrap().push_back(task);
    }

    /// Polls ready tasks until none are left; returns how many polls ran.
    pub fn run(&self) -> usize {
        let mut polls = 0;
        loop {
            let next = self.queue.lock().unwrap().pop_front();
            let Some(task) = next else { break polls };
            let waker = Waker::from(Arc::clone(&task));
            let mut cx = Context::from_waker(&waker);
            let mut slot = task.future.lock().unwrap();
            if let Some(mut fut) = slot.take() {
                polls += 1;
                if fut.as_mut().poll(&mut cx).is_pending() {
                    *slot = Some(fut);
                }
            }
        }
    }
}

/// Yields once, forcing the executor to reschedule the task.
pub struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

pub fn yield_now() -> YieldNow {
    YieldNow(false)
}

async fn checksum(label: &'static str, data: Vec<u8>, log: Arc<Mutex<Vec<String>>>) -> u32 {
    let mut acc: u32 = 0x811c_9dc5;
    for (i, chunk) in data.chunks(4).enumerate() {
        for &b in chunk {
            acc ^= u32::from(b);
            acc = acc.wrapping_mul(0x0100_0193);
        }
        if i % 2 == 1 {
            yield_now().await;
        }
    }
    log.lock().unwrap().push(format!("{label}: {acc:#010x}"));
    acc
}

pub async fn pipeline(log: Arc<Mutex<Vec<String>>>) -> u32 {
    let a = checksum("first", b"hello, warm-up".to_vec(), Arc::clone(&log)).await;
    let b = checksum("second", vec![0xAB; 16], log.clone()).await;
    let combined = async move { a.rotate_left(5) ^ b };
    combined.await
}

/// Messages understood by worker threads.
#[derive(Debug)]
pub enum Message {
    Work { id: u64, input: String },
    Pause(Duration),
    Shutdown,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub id: u64,
    pub words: usize,
    pub worker: usize,
}

/// A fixed set of OS threads pulling messages from a shared receiver.
pub struct ThreadPool {
    sender: Option<Sender<Message>>,
    handles: Vec<JoinHandle<()>>,
    busy: Arc<AtomicUsize>,
    stopped: Arc<AtomicBool>,
}

impl ThreadPool {
    pub fn new(size: usize) -> (Self, Receiver<Outcome>) {
        let (tx, rx) = mpsc::channel::<Message>();
        let (out_tx, out_rx) = mpsc::channel();
        let rx = Arc::new(Mutex::new(rx));
        let busy = Arc::new(AtomicUsize::new(0));
        let stopped = Arc::new(AtomicBool::new(false));
        let handles = (0..size)
            .map(|worker| {
                let rx = Arc::clone(&rx);
                let out = out_tx.clone();
                let busy = Arc::clone(&busy);
                let stopped = Arc::clone(&stopped);
                thread::Builder::new()
                    .name(format!("worker-{worker}"))
                    .spawn(move || loop {
                        let msg = match rx.lock() {
                            Ok(guard) => guard.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        match msg {
                            Ok(Message::Work { id, input }) => {
                                busy.fetch_add(1, Ordering::SeqCst);
                                let words = input.split_whitespace().count();
                                let _ = out.send(Outcome { id, words, worker });
                                busy.fetch_sub(1, Ordering::SeqCst);
                            }
                            Ok(Message::Pause(d)) => thread::sleep(d),
                            Ok(Message::Shutdown) | Err(_) => {
                                stopped.store(true, Ordering::Release);
                                break;
                            }
                        }
                    })
                    .expect("spawn worker thread")
            })
            .collect();
        let pool = ThreadPool {
            sender: Some(tx),
            handles,
            busy,
            stopped,
        };
        (pool, out_rx)
    }

    pub fn submit(&self, id: u64, input: impl Into<String>) -> Result<(), String> {
        let tx = self.sender.as_ref().ok_or("pool already closed")?;
        tx.send(Message::Work {
            id,
            input: input.into(),
        })
        .map_err(|e| format!("send failed: {e}"))
    }

    pub fn busy(&self) -> usize {
        self.busy.load(Ordering::Relaxed)
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        if let Some(tx) = self.sender.take() {
            for _ in &self.handles {
                let _ = tx.send(Message::Shutdown);
            }
        }
        for handle in self.handles.drain(..) {
            if let Err(panic) = handle.join() {
                eprintln!("worker panicked: {:?}", panic.downcast_ref::<&str>());
            }
        }
        debug_assert!(self.stopped.load(Ordering::Acquire) || cfg!(test));
    }
}

/// Retries `op` with exponential backoff until it succeeds or time runs out.
pub fn retry<T, E, F>(mut op: F, budget: Duration) -> Result<T, E>
where
    F: FnMut(u32) -> Result<T, E>,
    E: std::fmt::Debug,
{
    let started = Instant::now();
    let mut delay = Duration::from_millis(1);
    for attempt in 1u32.. {
        match op(attempt) {
            Ok(v) => return Ok(v),
            Err(e) if started.elapsed() + delay > budget => return Err(e),
            Err(_) => {
                thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_millis(50));
            }
        }
    }
    unreachable!("attempt counter overflowed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executor_runs_pipeline() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let result = Arc::new(AtomicUsize::new(0));
        let exec = Executor::default();
        {
            let (log, result) = (log.clone(), result.clone());
            exec.spawn(async move {
                let v = pipeline(log).await;
                result.store(v as usize, Ordering::SeqCst);
            });
        }
        let polls = exec.run();
        assert!(polls > 3, "expected rescheduling, got {polls} polls");
        assert_ne!(result.load(Ordering::SeqCst), 0);
        let lines = log.lock().unwrap();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("first: 0x"));
    }

    #[test]
    fn thread_pool_counts_words() {
        let (pool, results) = ThreadPool::new(3);
        let inputs = ["one", "two words", "now three words", ""];
        for (id, text) in (1..).zip(inputs) {
            pool.submit(id, text).unwrap();
        }
        let mut got: Vec<(u64, usize)> = results
            .iter()
            .take(inputs.len())
            .map(|o| (o.id, o.words))
            .collect();
        got.sort_unstable();
        assert_eq!(got, vec![(1, 1), (2, 2), (3, 3), (4, 0)]);
        drop(pool);
    }

    #[test]
    fn retry_gives_up_and_succeeds() {
        let ok = retry(
            |n| if n < 3 { Err(n) } else { Ok(n * 10) },
            Duration::from_secs(1),
        );
        assert_eq!(ok, Ok(30));
        let err: Result<(), &str> = retry(|_| Err("nope"), Duration::from_millis(5));
        assert_eq!(err, Err("nope"));
    }
}
