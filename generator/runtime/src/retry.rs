//! When and how long to wait before sending a request again.
//!
//! Retried: transport failures (connect, timeout, broken connection) and the statuses
//! 408, 429, 502, 503 and 504, which say "try again later" rather than "this request is
//! wrong". Only idempotent operations are retried unless the policy opts in, because a
//! failed POST may still have taken effect on the server.

use std::time::{Duration, SystemTime};

use backon::BackoffBuilder as _;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

/// How a request is retried: attempts, exponential backoff with jitter, and the cap on
/// a server's `Retry-After`.
///
/// The delay before retry `n` (1-based) is `initial_backoff * 2^(n-1)`, plus a random
/// jitter of up to the same amount, never more than `max_backoff`. A `Retry-After`
/// header (seconds or an HTTP date) replaces that delay, cut to `max_retry_after`.
///
/// Set per client with [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy)
/// and per call with each request builder's `retry_policy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 500 ms up to 8 s, `Retry-After` honoured up to 60 s,
    /// idempotent operations only.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retry.
    pub fn never() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// Sets how many times a request is sent at most, the first time included (`0` is
    /// taken as `1`).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the delay before the first retry; each later one doubles it.
    pub fn with_initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// Sets the longest backoff delay, jitter included.
    pub fn with_max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// Sets the longest wait a server's `Retry-After` can ask for; a longer one is cut
    /// to this, so a call never stalls longer than the caller allowed.
    pub fn with_max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// Also retries operations that are not idempotent (e.g. `POST` create). Off by
    /// default: a create whose response was lost may have succeeded, and sending it
    /// again can create a second resource.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// How many times a request is sent at most.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether a request of an operation that is (not) `idempotent` may be sent again.
    pub(crate) fn allows(&self, idempotent: bool) -> bool {
        self.max_attempts > 1 && (idempotent || self.retry_non_idempotent)
    }

    /// The backoff delays, one per retry: exponential with jitter, from `backon`.
    pub(crate) fn backoff(&self) -> Backoff {
        Backoff {
            delays: backon::ExponentialBuilder::new()
                .with_min_delay(self.initial_backoff)
                .with_max_delay(self.max_backoff)
                .with_factor(2.0)
                .with_jitter()
                .without_max_times()
                .build(),
            max: self.max_backoff,
            max_retry_after: self.max_retry_after,
        }
    }
}

/// The delays of one call's retries.
pub(crate) struct Backoff {
    delays: backon::ExponentialBackoff,
    max: Duration,
    max_retry_after: Duration,
}

impl Backoff {
    /// The delay before the next retry: the server's `Retry-After` when `headers` have
    /// one (cut to the cap), else the next backoff step.
    pub(crate) fn next_delay(&mut self, headers: Option<&HeaderMap>) -> Duration {
        let backoff = self.delays.next().unwrap_or(self.max).min(self.max);
        match headers.and_then(retry_after) {
            Some(asked) => asked.min(self.max_retry_after),
            None => backoff,
        }
    }
}

/// Whether `status` asks to try again later.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
}

/// Whether a failed send may succeed when repeated: connection and timeout failures and
/// a connection that broke mid-request. Not: a request that could not be built or a
/// redirect loop. (A failure while reading the response body, once a response has
/// arrived, is always retryable: the transport decides that itself.)
pub(crate) fn is_retryable_error(error: &reqwest::Error) -> bool {
    !error.is_builder()
        && !error.is_redirect()
        && !error.is_decode()
        && (error.is_connect() || error.is_timeout() || error.is_request() || error.is_body())
}

/// The wait a `Retry-After` header asks for: delay-seconds, or an HTTP date (a date in
/// the past is no wait). `None` when absent or unreadable.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}
