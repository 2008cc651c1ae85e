//! The poll loop's spacing, on a paused clock.
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

    fn domains<'a>(
        &'a self,
        _: &'a Scope,
        _: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, ApiError>> {
        Box::pin(async { Ok(vec![]) })
    }

    fn routes<'a>(
        &'a self,
        _: &'a Scope,
        _: &'a str,
    ) -> BoxFuture<'a, Result<Vec<crate::model::VifRoute>, ApiError>> {
        Box::pin(async { Ok(vec![]) })
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
