//! Polling an operation until the resource reaches a target state.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use backon::BackoffBuilder as _;
use tokio::time::Instant;

use crate::error::Error;

/// How a waiter polls: the delay between polls grows from `initial_interval` to
/// `max_interval` (exponential, with jitter), and the wait gives up after `max_wait`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitOptions {
    /// Delay before the second poll.
    pub initial_interval: Duration,
    /// Longest delay between two polls.
    pub max_interval: Duration,
    /// How long to wait in all before [`WaitError::TimedOut`].
    pub max_wait: Duration,
}

impl Default for WaitOptions {
    /// Polls after 1 s, then up to every 15 s, for at most 10 minutes.
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
            max_wait: Duration::from_secs(600),
        }
    }
}

/// Why a wait ended without reaching the target state. `T` is the polled resource, `E`
/// the polled operation's error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<T, E> {
    /// The resource reached a state from which the target cannot follow (as declared in
    /// the generator's settings), e.g. `Paused` while waiting for `Ready`.
    Failed {
        /// The state, as the API spells it.
        state: String,
        /// The resource as last read.
        resource: T,
    },
    /// `max_wait` passed first.
    TimedOut {
        /// How long the wait lasted.
        waited: Duration,
        /// The resource as last read; `None` when no poll completed.
        last: Option<T>,
    },
    /// A poll failed (after the retries of its own request).
    Request(Error<E>),
}

impl<T, E> WaitError<T, E> {
    /// The resource as last read, when there is one.
    pub fn last_resource(&self) -> Option<&T> {
        match self {
            WaitError::Failed { resource, .. } => Some(resource),
            WaitError::TimedOut { last, .. } => last.as_ref(),
            WaitError::Request(_) => None,
        }
    }
}

impl<T, E: fmt::Display> fmt::Display for WaitError<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Failed { state, .. } => {
                write!(f, "the resource reached state {state:?}, from which the target state cannot follow")
            }
            WaitError::TimedOut { waited, .. } => {
                write!(
                    f,
                    "the resource did not reach the target state within {waited:?}"
                )
            }
            WaitError::Request(error) => write!(f, "polling failed: {error}"),
        }
    }
}

impl<T: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaitError<T, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Request(error) => Some(error),
            _ => None,
        }
    }
}

/// What one poll saw.
pub(crate) enum Observation<T, O> {
    /// The target is reached; the wait returns `O`.
    Done(O),
    /// A state from which the target cannot follow.
    Failed(String, T),
    /// Not yet.
    Pending(T),
}

/// One poll in progress.
pub(crate) type PollFuture<'a, T, O, E> =
    Pin<Box<dyn Future<Output = Result<Observation<T, O>, Error<E>>> + Send + 'a>>;
/// Starts a poll.
pub(crate) type Poll<'a, T, O, E> = Box<dyn Fn() -> PollFuture<'a, T, O, E> + Send + Sync + 'a>;

/// Boxes a poll; its signature pins down the types an `async` block leaves open.
pub(crate) fn poll_future<'a, T, O, E>(
    future: impl Future<Output = Result<Observation<T, O>, Error<E>>> + Send + 'a,
) -> PollFuture<'a, T, O, E> {
    Box::pin(future)
}

/// A wait in preparation: set its [`WaitOptions`], then `.await` it.
///
/// Resolves to `O` (the resource in its target state, or `()` when the target is "gone"),
/// or a [`WaitError`].
#[must_use = "a waiter does nothing until it is awaited"]
pub struct Waiter<'a, T, O, E> {
    poll: Poll<'a, T, O, E>,
    options: WaitOptions,
}

impl<T, O, E> fmt::Debug for Waiter<'_, T, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a, T, O, E> Waiter<'a, T, O, E> {
    pub(crate) fn new(poll: Poll<'a, T, O, E>) -> Self {
        Self {
            poll,
            options: WaitOptions::default(),
        }
    }

    /// Replaces all the options.
    pub fn options(mut self, options: WaitOptions) -> Self {
        self.options = options;
        self
    }

    /// Sets how long to wait in all.
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.options.max_wait = max_wait;
        self
    }

    /// Sets the first and the longest delay between polls.
    pub fn poll_interval(mut self, initial: Duration, max: Duration) -> Self {
        self.options.initial_interval = initial;
        self.options.max_interval = max.max(initial);
        self
    }

    async fn run(self) -> Result<O, WaitError<T, E>> {
        let started = Instant::now();
        // A `max_wait` too large to add (e.g. `Duration::MAX`) means "no limit" in practice:
        // a century.
        let deadline = started
            .checked_add(self.options.max_wait)
            .unwrap_or_else(|| started + Duration::from_secs(100 * 365 * 24 * 3600));
        let mut delays = backon::ExponentialBuilder::new()
            .with_min_delay(self.options.initial_interval)
            .with_max_delay(self.options.max_interval)
            .with_factor(2.0)
            .with_jitter()
            .without_max_times()
            .build();
        let mut last = None;
        loop {
            // A poll that outlasts the deadline is cut short: the wait's bound holds even
            // when one request hangs.
            match tokio::time::timeout_at(deadline, (self.poll)()).await {
                Ok(Ok(Observation::Done(output))) => return Ok(output),
                Ok(Ok(Observation::Failed(state, resource))) => {
                    return Err(WaitError::Failed { state, resource })
                }
                Ok(Ok(Observation::Pending(resource))) => last = Some(resource),
                Ok(Err(error)) => return Err(WaitError::Request(error)),
                Err(_elapsed) => {
                    return Err(WaitError::TimedOut {
                        waited: started.elapsed(),
                        last,
                    })
                }
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(WaitError::TimedOut {
                    waited: started.elapsed(),
                    last,
                });
            }
            let delay = delays
                .next()
                .unwrap_or(self.options.max_interval)
                .min(self.options.max_interval)
                .min(deadline - now);
            tokio::time::sleep(delay).await;
        }
    }
}

impl<'a, T: Send + 'a, O: Send + 'a, E: Send + 'a> IntoFuture for Waiter<'a, T, O, E> {
    type Output = Result<O, WaitError<T, E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
