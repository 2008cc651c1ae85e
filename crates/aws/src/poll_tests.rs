//! The poll loop's spacing and how many polls are under way at once, on a paused clock.
use super::*;
use std::sync::{Arc, Mutex};

/// A source whose one poll takes `took` and notes when each poll started.
struct Slow {
    took: Duration,
    starts: Mutex<Vec<tokio::time::Instant>>,
}

impl Source for Slow {
    fn pollers(&self) -> Vec<(Scope, Service)> {
        vec![(Scope::new("111122223333", "r"), Service::Ec2)]
    }

    fn poll<'a>(
        &'a self,
        _: &'a Scope,
        _: Service,
        _: u64,
        _: &'a mut (dyn FnMut(Update) + Send),
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.starts
                .lock()
                .unwrap()
                .push(tokio::time::Instant::now());
            tokio::time::sleep(self.took).await;
        })
    }
}

/// The seconds between poll starts over `run` with polls that take `took`.
async fn gaps(took: u64, run: u64) -> Vec<u64> {
    let source = Arc::new(Slow {
        took: Duration::from_secs(took),
        starts: Mutex::default(),
    });
    let (tx, _rx) = mpsc::unbounded_channel::<PollMsg>();
    let handle = spawn(source.clone(), Duration::from_secs(10), tx);
    tokio::time::sleep(Duration::from_secs(run)).await;
    drop(handle);
    let starts = source.starts.lock().unwrap().clone();
    starts.windows(2).map(|w| (w[1] - w[0]).as_secs()).collect()
}

#[tokio::test(start_paused = true)]
async fn polls_start_an_interval_apart_and_a_long_one_is_followed_at_once() {
    // A 3 s poll every 10 s: starts 10 s apart, not 13.
    assert_eq!(gaps(3, 45).await, [10, 10, 10, 10]);
    // A 15 s poll: the next starts when it ends; none overlaps.
    assert_eq!(gaps(15, 50).await, [15, 15, 15]);
}

/// A source of `n` scopes whose polls take a second each, noting how many run at once.
struct Many {
    n: usize,
    now: Mutex<usize>,
    most: Mutex<usize>,
}

impl Source for Many {
    fn pollers(&self) -> Vec<(Scope, Service)> {
        (0..self.n)
            .map(|i| (Scope::new(&format!("{i:012}"), "r"), Service::Ec2))
            .collect()
    }

    fn poll<'a>(
        &'a self,
        _: &'a Scope,
        _: Service,
        _: u64,
        _: &'a mut (dyn FnMut(Update) + Send),
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            {
                let mut now = self.now.lock().unwrap();
                *now += 1;
                let mut most = self.most.lock().unwrap();
                *most = (*most).max(*now);
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
            *self.now.lock().unwrap() -= 1;
        })
    }
}

#[tokio::test(start_paused = true)]
async fn at_most_polls_at_once_are_under_way_and_every_one_runs() {
    let n = crate::engine::POLLS_AT_ONCE + 44;
    let source = Arc::new(Many {
        n,
        now: Mutex::default(),
        most: Mutex::default(),
    });
    let started = tokio::time::Instant::now();
    poll_once_by(source.clone(), Duration::from_secs(60)).await;
    assert_eq!(*source.most.lock().unwrap(), crate::engine::POLLS_AT_ONCE);
    // Two waves of one second: all ran, none waited for a deadline.
    assert_eq!(started.elapsed().as_secs(), 2);
    assert_eq!(*source.now.lock().unwrap(), 0);
}
