//! The worker process and the driver's handle on it.
//!
//! The generator runs in a child process (`cargo xtask fuzz-worker`, hidden) so that what
//! `catch_unwind` cannot catch — an abort, a stack overflow, an endless loop — costs the
//! driver one restart, not the run. Requests and answers are one line each:
//!
//! ```text
//! driver -> worker   <strict 0|1> TAB <dir to write an Ok crate to, or empty> TAB <JSON text>
//! worker -> driver   Outcome::to_line()   (ok TAB <rust files> | <class> TAB <message>)
//! ```

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::outcome::{self, escape, unescape, Outcome};

/// How much of the worker's stderr is kept to explain its death.
const STDERR_TAIL: usize = 2000;

/// The child side: answers requests from stdin until it closes.
pub fn serve() -> ExitCode {
    outcome::quiet_panics();
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let mut fields = line.splitn(3, '\t');
        let (Some(strict), Some(write), Some(text)) = (fields.next(), fields.next(), fields.next())
        else {
            eprintln!("fuzz-worker: malformed request");
            return ExitCode::from(2);
        };
        let text = unescape(text);
        let (result, output) = outcome::run(&text, strict == "1");
        let result = match (output, write.is_empty()) {
            (Some(output), false) => match outcome::write_crate(&output, Path::new(write)) {
                Ok(()) => result,
                Err(error) => Outcome::Crash(format!("cannot write {write}: {error}")),
            },
            _ => result,
        };
        if writeln!(stdout, "{}", result.to_line())
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break;
        }
    }
    ExitCode::SUCCESS
}

/// The driver's handle on one worker process, restarted after a hang or a death.
pub struct Worker {
    program: PathBuf,
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<String>,
    stderr: Arc<Mutex<String>>,
    /// Processes started (1 + restarts).
    pub starts: usize,
}

impl Worker {
    /// Starts `program fuzz-worker`.
    ///
    /// # Errors
    /// The process cannot be started.
    pub fn start(program: &Path) -> std::io::Result<Self> {
        let mut child = Command::new(program)
            .arg("fuzz-worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(std::io::Error::other("the worker's pipes are missing"));
        };
        // A reader thread per pipe, so that the driver can wait with a timeout.
        let (sender, answers) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let tail = Arc::new(Mutex::new(String::new()));
        let writer = Arc::clone(&tail);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Ok(mut tail) = writer.lock() {
                    tail.push_str(&line);
                    tail.push('\n');
                    if tail.len() > STDERR_TAIL {
                        let cut = tail.len() - STDERR_TAIL;
                        let cut = (cut..tail.len())
                            .find(|&at| tail.is_char_boundary(at))
                            .unwrap_or(0);
                        tail.drain(..cut);
                    }
                }
            }
        });
        Ok(Self {
            program: program.to_path_buf(),
            child,
            stdin,
            answers,
            stderr: tail,
            starts: 1,
        })
    }

    /// Runs one input; a hang past `limit` or the worker's death is the outcome (and the
    /// worker is restarted for the next input).
    ///
    /// # Errors
    /// The worker cannot be restarted.
    pub fn run(
        &mut self,
        text: &str,
        strict: bool,
        write: Option<&Path>,
        limit: Duration,
    ) -> std::io::Result<Outcome> {
        let request = format!(
            "{}\t{}\t{}\n",
            u8::from(strict),
            write.map_or_else(String::new, |dir| dir.display().to_string()),
            escape(text)
        );
        let sent = self
            .stdin
            .write_all(request.as_bytes())
            .and_then(|()| self.stdin.flush());
        let answer = match sent {
            Ok(()) => self.answers.recv_timeout(limit),
            Err(_) => Err(RecvTimeoutError::Disconnected),
        };
        let outcome = match answer {
            Ok(line) => match Outcome::from_line(&line) {
                Some(outcome) => return Ok(outcome),
                None => Outcome::Crash(format!("unreadable answer from the worker: {line}")),
            },
            Err(RecvTimeoutError::Timeout) => {
                Outcome::Hang(format!("no answer within {:.1} s", limit.as_secs_f64()))
            }
            Err(RecvTimeoutError::Disconnected) => {
                let status = self
                    .child
                    .wait()
                    .map_or_else(|error| error.to_string(), |status| status.to_string());
                // Let the stderr reader take the last lines (the overflow message).
                std::thread::sleep(Duration::from_millis(50));
                let tail = self
                    .stderr
                    .lock()
                    .map(|tail| tail.trim().to_owned())
                    .unwrap_or_default();
                let last = tail.lines().rev().take(3).collect::<Vec<_>>();
                let last: Vec<&str> = last.into_iter().rev().collect();
                Outcome::Crash(format!("worker died ({status}): {}", last.join(" | ")))
            }
        };
        self.restart()?;
        Ok(outcome)
    }

    fn restart(&mut self) -> std::io::Result<()> {
        self.stop();
        let starts = self.starts;
        *self = Self::start(&self.program)?;
        self.starts = starts + 1;
        Ok(())
    }

    /// Kills the process (idempotent).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop();
    }
}
