//! `sampling.budget`: at most so many events of a kind per window.
//!
//! A token bucket per kind (errors, transactions, anything else): it holds
//! `max_events` tokens, an event takes one, and tokens come back at
//! `max_events` per `window_seconds`. So a burst of `max_events` passes, and
//! the sustained rate is `max_events` per window. The core has no clock: the
//! caller passes `now` (seconds), which makes the bucket a pure function of
//! the events and times it was given, and a test can drive it. An event
//! without a time is counted at the latest time seen (it takes a token, no
//! tokens come back), so the budget still holds.
//!
//! The bucket is the one piece of state in the core. It sits behind a mutex
//! shared by clones of a `Preflight`: hooks run on many threads, and a
//! budget split per thread would not be a budget.

use std::sync::{Arc, Mutex};

use crate::policy::Budget as BudgetPolicy;

/// Which bucket an event takes its token from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Error = 0,
    Transaction = 1,
    Other = 2,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Error => "error",
            Kind::Transaction => "transaction",
            Kind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last_seen: Option<f64>,
}

#[derive(Debug, Clone)]
pub(crate) struct Budget {
    policy: BudgetPolicy,
    buckets: Arc<Mutex<[Bucket; 3]>>,
}

impl Budget {
    pub(crate) fn new(policy: BudgetPolicy) -> Budget {
        let full = Bucket {
            tokens: policy.max_events as f64,
            last_seen: None,
        };
        Budget {
            policy,
            buckets: Arc::new(Mutex::new([full; 3])),
        }
    }

    /// Takes a token for an event of `kind` seen at `now`; why not, if none is left.
    pub(crate) fn take(&self, kind: Kind, now: Option<f64>) -> Result<(), String> {
        let capacity = self.policy.max_events as f64;
        let per_second = capacity / self.policy.window_seconds;
        // No code below can panic while the lock is held, so a poisoned lock
        // still guards consistent numbers.
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let bucket = &mut buckets[kind as usize];
        if let Some(now) = now.filter(|t| t.is_finite()) {
            let elapsed = bucket.last_seen.map_or(0.0, |last| (now - last).max(0.0));
            bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
            bucket.last_seen = Some(bucket.last_seen.map_or(now, |last| last.max(now)));
        }
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(format!(
                "sampling.budget: {} {} events per {} s used",
                self.policy.max_events,
                kind.name(),
                crate::float::shown(self.policy.window_seconds)
            ))
        }
    }
}
