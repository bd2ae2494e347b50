//! The command line, parsed by hand: two subcommands and three flags do not
//! need an argument-parsing crate in the binary.

pub(crate) const USAGE: &str = "\
usage:
  preflight process [--policy POLICY.json] [--hint HINT.json] [--diff] [FILE ...]
      Process events (a JSON array, JSON lines or one event; FILE '-' or none = stdin).
      Prints processed events as JSON lines; dropped events are omitted, with the reason on stderr.
      --hint gives every event what an SDK's hint would say of its exception, as the JS package
      sends it: {\"exception_types\": [...], \"status_code\": n, \"tags\", \"contexts\", \"fingerprint\"}.
      --diff prints what changed in each event instead.
  preflight check --policy POLICY.json
      Validate a policy; prints the JSON path and reason of the first error and exits 1 if invalid.
Without --policy the built-in default policy applies.";

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ProcessArgs {
    pub(crate) policy: Option<String>,
    pub(crate) hint: Option<String>,
    pub(crate) diff: bool,
    pub(crate) files: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Command {
    Help,
    Process(ProcessArgs),
    Check { policy: String },
}

pub(crate) fn parse(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    let command = match args.next().as_deref() {
        None | Some("help" | "--help" | "-h") => return Ok(Command::Help),
        Some(name @ ("process" | "check")) => name.to_owned(),
        Some(other) => return Err(format!("unknown command {other:?}")),
    };
    let mut process = ProcessArgs {
        policy: None,
        hint: None,
        diff: false,
        files: Vec::new(),
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--policy" => process.policy = Some(args.next().ok_or("--policy needs a file")?),
            "--hint" if command == "process" => {
                process.hint = Some(args.next().ok_or("--hint needs a file")?);
            }
            "--diff" if command == "process" => process.diff = true,
            "--help" | "-h" => return Ok(Command::Help),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ if command == "process" => process.files.push(arg),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    if command == "check" {
        let policy = process.policy.ok_or("check needs --policy")?;
        return Ok(Command::Check { policy });
    }
    Ok(Command::Process(process))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(words: &str) -> Result<Command, String> {
        parse(words.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn process_takes_policy_diff_and_files() {
        assert_eq!(
            parse_words("process --policy p.json --hint h.json --diff a.json -").unwrap(),
            Command::Process(ProcessArgs {
                policy: Some("p.json".into()),
                hint: Some("h.json".into()),
                diff: true,
                files: vec!["a.json".into(), "-".into()],
            })
        );
    }

    #[test]
    fn check_requires_a_policy() {
        assert!(parse_words("check").is_err());
        assert_eq!(
            parse_words("check --policy p.json").unwrap(),
            Command::Check {
                policy: "p.json".into()
            }
        );
        assert!(parse_words("check --diff --policy p").is_err());
        assert!(parse_words("frobnicate").is_err());
    }
}
