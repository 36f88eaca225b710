//! `trustshare access check FILE`: reads an access-management configuration, checks it against
//! the rule catalogue and prints each rule's result, so an organisation can check a
//! configuration before publishing it.
//!
//! Exit codes: 0 when every `must` rule passes (or does not apply), 1 when one fails or cannot
//! be checked for want of facts, 2 when the file cannot be read or is not a valid
//! configuration. An unknown `must` rule is not a pass: the summary names it so the
//! organisation knows which facts to add.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use app::access::{evaluate, parse, Evaluation, Finding, Outcome, Severity, CATALOGUE};
use app::dates::Date;

/// Largest file read: configurations are a few kilobytes; anything bigger is not one.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// What the command prints and how it ends.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcomes {
    /// Standard output: the report.
    pub stdout: String,
    /// Standard error: why the file could not be checked.
    pub stderr: String,
    /// 0, 1 or 2, as above.
    pub code: u8,
}

/// Checks the file as of `today`.
pub fn check_file(path: &Path, today: Date) -> Outcomes {
    let shown = path.display();
    let text = match read(path) {
        Ok(text) => text,
        Err(reason) => return unusable(format!("{shown}: {reason}\n")),
    };
    let config = match parse(&text) {
        Ok(config) => config,
        Err(errors) => {
            let mut out = String::new();
            for e in &errors {
                let _ = match e.position {
                    Some(p) => write!(out, "{shown}:{}:{}: ", p.line, p.column),
                    None => write!(out, "{shown}: "),
                };
                if !e.path.is_empty() {
                    let _ = write!(out, "{}: ", e.path);
                }
                let _ = writeln!(out, "{}", e.reason);
            }
            let noun = if errors.len() == 1 { "error" } else { "errors" };
            let _ = writeln!(
                out,
                "{shown}: not a valid configuration ({} {noun}); nothing was checked",
                errors.len()
            );
            return unusable(out);
        }
    };
    let evaluation = evaluate(&config, today);
    let stdout = report(&shown.to_string(), &config.organisation, &evaluation);
    let code = if evaluation.must_failures().next().is_some()
        || must_unknown(&evaluation).next().is_some()
    {
        1
    } else {
        0
    };
    Outcomes {
        stdout,
        stderr: String::new(),
        code,
    }
}

/// The exit code, as the process ends.
impl Outcomes {
    /// Prints both streams and returns the exit code.
    pub fn finish(self) -> ExitCode {
        print!("{}", self.stdout);
        eprint!("{}", self.stderr);
        ExitCode::from(self.code)
    }
}

fn unusable(stderr: String) -> Outcomes {
    Outcomes {
        stdout: String::new(),
        stderr,
        code: 2,
    }
}

fn read(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "cannot read: larger than {} KiB, too large for a configuration",
            MAX_FILE_BYTES / 1024
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "cannot read: not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to() + 1
        )
    })
}

/// The `must` rules whose facts are missing: not a pass, so they fail the check.
fn must_unknown(evaluation: &Evaluation) -> impl Iterator<Item = &Finding> {
    evaluation
        .findings
        .iter()
        .filter(|f| f.rule.severity == Severity::Must && f.outcome == Outcome::Unknown)
}

/// The report: one block per rule, then a summary.
fn report(file: &str, organisation: &str, evaluation: &Evaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{file}: {organisation}, checked against {} rules as of {}\n",
        CATALOGUE.len(),
        evaluation.today
    );
    for f in &evaluation.findings {
        let outcome = f.outcome.label().to_uppercase();
        let _ = writeln!(
            out,
            "{:<6}  {:<8}  {:<14}  {}",
            f.rule.code,
            f.rule.severity.label(),
            outcome,
            f.rule.title
        );
        let _ = writeln!(out, "        observed: {}", f.observed);
        let _ = writeln!(out, "        expected: {}", f.expected);
    }
    let counts: Vec<String> = Outcome::ALL
        .iter()
        .map(|o| format!("{} {}", evaluation.count(*o), o.label()))
        .collect();
    let _ = writeln!(
        out,
        "\nSummary: {} rules: {}.",
        evaluation.findings.len(),
        counts.join(", ")
    );
    let failing: Vec<&str> = evaluation.must_failures().map(|f| f.rule.code).collect();
    let unchecked: Vec<&str> = must_unknown(evaluation).map(|f| f.rule.code).collect();
    let others = evaluation.count(Outcome::Fail) - failing.len();
    let rules = |n: usize| if n == 1 { "rule" } else { "rules" };
    if failing.is_empty() && unchecked.is_empty() {
        let _ = writeln!(out, "Every must rule passes.");
    }
    if !failing.is_empty() {
        let n = failing.len();
        let _ = writeln!(
            out,
            "{n} must {} {}: {}.",
            rules(n),
            if n == 1 { "fails" } else { "fail" },
            failing.join(", ")
        );
    }
    if !unchecked.is_empty() {
        let n = unchecked.len();
        let _ = writeln!(
            out,
            "{n} must {} could not be checked for want of facts: {}.",
            rules(n),
            unchecked.join(", ")
        );
    }
    if others > 0 {
        let _ = writeln!(
            out,
            "{others} should or advisory {} {}.",
            rules(others),
            if others == 1 { "fails" } else { "fail" }
        );
    }
    out
}
