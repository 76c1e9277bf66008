//! The command-line tool's `--wait` (only in crates with waiters): a spinner on stderr
//! while it waits, when stderr is a terminal, and a failed wait as an exit code.

use std::fmt;
use std::io::IsTerminal;
use std::time::Duration;

use crate::cli::{failure, Context, Failure, EXIT_TRANSPORT, EXIT_WAIT};
use clap::ArgMatches;

use crate::wait::{WaitError, Waiter};

/// `--wait-timeout SECONDS`, beside each `--wait`: how long to wait in all.
pub(crate) fn timeout_arg() -> clap::Arg {
    clap::Arg::new("wait-timeout")
        .long("wait-timeout")
        .value_name("SECONDS")
        .value_parser(clap::value_parser!(u64).range(1..))
        .requires("wait")
        .help("With --wait: give up after SECONDS (exit 3) [default: 600]")
}

/// A wait's failure: a state the target cannot follow from is exit 4, running out of
/// time exit 3, a failed poll as that request's failure. `what` is what was awaited.
pub(crate) fn wait_failure<T, E: fmt::Display>(what: &str, error: WaitError<T, E>) -> Failure {
    match error {
        WaitError::Request(error) => failure(error),
        WaitError::Failed { state, .. } => Failure {
            code: EXIT_WAIT,
            message: format!(
                "the resource reached the state {state:?}, from which it cannot become {what}"
            ),
        },
        WaitError::TimedOut { waited, .. } => Failure {
            code: EXIT_TRANSPORT,
            message: format!(
                "gave up waiting until {what} after {} s (--wait-timeout sets how long)",
                waited.as_secs()
            ),
        },
    }
}

impl Context {
    /// Runs `waiter` (`wait_until_<what>`) for at most `--wait-timeout`, with a spinner
    /// saying what it waits for on stderr while it runs, when stderr is a terminal.
    ///
    /// When the wait fails, `show_call` first prints the answer of the call that was
    /// waited after: that call took effect (a created resource exists, with its id), and a
    /// failed wait must not hide it.
    pub(crate) async fn wait<'a, T, O, E>(
        &self,
        matches: &ArgMatches,
        what: &str,
        waiter: Waiter<'a, T, O, E>,
        show_call: impl FnOnce() -> Result<(), Failure>,
    ) -> Result<O, Failure>
    where
        T: Send + 'a,
        O: Send + 'a,
        E: fmt::Display + Send + 'a,
    {
        let waiter = match matches.get_one::<u64>("wait-timeout") {
            Some(&seconds) => waiter.max_wait(Duration::from_secs(seconds)),
            None => waiter,
        };
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
        outcome.map_err(|error| {
            let failure = wait_failure(what, error);
            // The wait's failure is what the exit code says, even if this print fails.
            let _ = show_call();
            failure
        })
    }
}
