//! `cargo xtask test`: the project's one test command.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, ExitCode};

/// One cargo invocation: its arguments and extra environment.
struct Step {
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const STEPS: &[Step] = &[
    Step {
        args: &["test", "--workspace", "--locked"],
        env: &[],
    },
    Step {
        args: &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
        env: &[],
    },
    // The workspace's tests turn the client's `cli` and `mock` features on (they run the
    // tool and use the kit); this is the crate as a library user gets it by default.
    Step {
        args: &[
            "clippy",
            "-p",
            "ai-agent-client",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
        env: &[],
    },
    Step {
        args: &[
            "doc",
            "-p",
            "ai-agent-client",
            "--features",
            "mock",
            "--no-deps",
            "--locked",
        ],
        env: &[("RUSTDOCFLAGS", "-D warnings")],
    },
];

/// Runs every step in the workspace root, stopping at the first failure with its exit code.
pub fn run(root: &Path) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from(env!("CARGO")));
    for step in STEPS {
        let env: String = step
            .env
            .iter()
            .map(|(key, value)| format!("{key}={value:?} "))
            .collect();
        println!("$ {env}cargo {}", step.args.join(" "));
        let mut command = Command::new(&cargo);
        command.args(step.args).current_dir(root);
        for (key, value) in step.env {
            command.env(key, value);
        }
        match command.status() {
            Ok(status) if status.success() => {}
            Ok(status) => {
                eprintln!("error: `cargo {}` failed ({status})", step.args.join(" "));
                // A signal has no code; report failure all the same.
                let code = status.code().and_then(|code| u8::try_from(code).ok());
                return ExitCode::from(code.filter(|&code| code != 0).unwrap_or(1));
            }
            Err(error) => {
                eprintln!("error: cannot run {}: {error}", cargo.to_string_lossy());
                return ExitCode::from(1);
            }
        }
    }
    println!("all checks passed");
    ExitCode::SUCCESS
}
