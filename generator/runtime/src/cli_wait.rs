//! The command-line tool's `--wait` (only in crates with waiters): a spinner on stderr
//! while it waits, when stderr is a terminal, and a failed wait as an exit code.

use std::fmt;
use std::future::IntoFuture;
use std::io::IsTerminal;
use std::time::Duration;

use crate::cli::{failure, Context, Failure, EXIT_TRANSPORT, EXIT_WAIT};
use crate::wait::WaitError;

/// A wait's failure: a state the target cannot follow from is exit 4, running out of
/// time exit 3, a failed poll as that request's failure.
pub(crate) fn wait_failure<T, E: fmt::Display>(error: WaitError<T, E>) -> Failure {
    match error {
        WaitError::Request(error) => failure(error),
        WaitError::Failed { state, .. } => Failure {
            code: EXIT_WAIT,
            message: format!(
                "the resource reached the state {state:?}, from which the awaited state cannot follow"
            ),
        },
        other @ WaitError::TimedOut { .. } => Failure {
            code: EXIT_TRANSPORT,
            message: other.to_string(),
        },
    }
}

impl Context {
    /// Runs `waiter` (`wait_until_<what>`), with a spinner saying what it waits for on
    /// stderr while it runs, when stderr is a terminal.
    pub(crate) async fn wait<W, T, O, E>(&self, what: &str, waiter: W) -> Result<O, Failure>
    where
        W: IntoFuture<Output = Result<O, WaitError<T, E>>>,
        E: fmt::Display,
    {
        let spinner = std::io::stderr().is_terminal().then(|| {
            let spinner = indicatif::ProgressBar::new_spinner();
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            {
                spinner.set_style(style);
            }
            spinner.set_message(format!("waiting until {what}"));
            spinner.enable_steady_tick(Duration::from_millis(120));
            spinner
        });
        let outcome = waiter.await;
        if let Some(spinner) = spinner {
            spinner.finish_and_clear();
        }
        outcome.map_err(wait_failure)
    }
}
