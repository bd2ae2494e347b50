//! `preflight`: try a policy on captured Sentry events before shipping it.
//!
//! The command is the quickest way to see what a policy does: feed it events
//! you captured (JSON array, JSON lines or one event; files or stdin) and it
//! prints them processed, or with `--diff`, what changed in each. `check`
//! validates a policy the way every runtime will at load time.

mod args;
mod diff;
mod input;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use sentry_preflight::{Hint, Outcome, Preflight};

use args::{Command, ProcessArgs};

fn main() -> ExitCode {
    let command = match args::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("preflight: {message}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help => {
            println!("{}", args::USAGE);
            ExitCode::SUCCESS
        }
        Command::Check { policy } => check(&policy),
        Command::Process(process_args) => match process(&process_args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("preflight: {message}");
                ExitCode::from(2)
            }
        },
    }
}

fn check(policy_path: &str) -> ExitCode {
    match load(Some(policy_path)) {
        Ok(_) => {
            println!("{policy_path}: valid policy");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(1)
        }
    }
}

/// Loads the policy file, or the default policy when there is none.
fn load(policy_path: Option<&str>) -> Result<Preflight, String> {
    let Some(path) = policy_path else {
        return Preflight::from_json("{}").map_err(|error| error.to_string());
    };
    let text = std::fs::read_to_string(path).map_err(|error| format!("{path}: {error}"))?;
    Preflight::from_json(&text).map_err(|error| format!("{path}: {error}"))
}

fn process(args: &ProcessArgs) -> Result<(), String> {
    let preflight = load(args.policy.as_deref())?;
    let hint = match &args.hint {
        // The core's reader, the one the JS package's hints go through.
        Some(path) => std::fs::read_to_string(path)
            .map_err(|error| error.to_string())
            .and_then(|text| Hint::from_json(&text))
            .map_err(|reason| format!("{path}: {reason}"))?,
        None => Hint::default(),
    };
    let events = input::read_events(&args.files)?;
    let stdout = io::stdout();
    let colour = args.diff && stdout.is_terminal();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut summary = diff::Summary::default();
    let total = events.len();
    for (index, original) in events.into_iter().enumerate() {
        let mut event = original.clone();
        let outcome = preflight.process_event_with_hint(&mut event, &hint);
        let written = match (&outcome, args.diff) {
            (Outcome::Drop(reason), _) => {
                eprintln!("event {} dropped: {reason}", index + 1);
                summary.dropped += 1;
                Ok(())
            }
            (Outcome::Keep, true) => diff::write_event(
                &mut out,
                index,
                total,
                &original,
                &event,
                colour,
                &mut summary,
            ),
            (Outcome::Keep, false) => writeln!(out, "{event}"),
        };
        written.map_err(|error| format!("writing output: {error}"))?;
    }
    if args.diff {
        summary
            .write(&mut out, total)
            .map_err(|error| format!("writing output: {error}"))?;
    }
    out.flush()
        .map_err(|error| format!("writing output: {error}"))
}
