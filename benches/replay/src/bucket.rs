//! Token buckets per account, region and service, shaped like AWS's request throttling: a
//! call takes a token or is throttled; tokens refill at a steady rate up to the burst.
//!
//! Shapes: EC2's published bucket for non-mutating actions (burst 100, refill 20 a second).
//! Direct Connect, Route 53 Resolver and CloudWatch publish none per action: burst 20, refill
//! 10 a second, below EC2's. STS and Organizations are not throttled here.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Burst and refill per second of a service's bucket; `None`: not throttled.
pub fn shape(service: &str) -> Option<(f64, f64)> {
    match service {
        "ec2" => Some((100.0, 20.0)),
        "directconnect" | "route53resolver" | "monitoring" => Some((20.0, 10.0)),
        _ => None,
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Every bucket, created full on first use (empty for an exhausted account).
pub struct Buckets {
    on: bool,
    exhausted: Vec<String>,
    map: Mutex<HashMap<(String, String, String), Bucket>>,
}

impl Buckets {
    pub fn new(on: bool, exhausted: Vec<String>) -> Buckets {
        Buckets {
            on,
            exhausted,
            map: Mutex::default(),
        }
    }

    /// Takes a token for one call; `false` when the call is throttled.
    pub fn take(&self, account: &str, region: &str, service: &str) -> bool {
        let Some((burst, refill)) = shape(service).filter(|_| self.on) else {
            return true;
        };
        let now = Instant::now();
        let mut map = self.map.lock().unwrap();
        let b = map
            .entry((account.into(), region.into(), service.into()))
            .or_insert_with(|| Bucket {
                tokens: if self.exhausted.iter().any(|a| a == account) {
                    0.0
                } else {
                    burst
                },
                at: now,
            });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * refill).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Empties the map: every bucket starts again (full, or empty for an exhausted account).
    pub fn reset(&self) {
        self.map.lock().unwrap().clear();
    }
}
