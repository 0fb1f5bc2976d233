//! Why a command failed: what it says on standard error, and the exit code.
//!
//! Exit codes: 0 success, 1 invalid input (or something it names is not there), 2 usage error
//! (clap's own code for bad arguments).

use std::process::ExitCode;

use crate::cli::err;

/// A failed command.
#[derive(Debug)]
pub enum Failure {
    /// The arguments are wrong: `error: MESSAGE`, exit 2.
    Usage(String),
    /// The input is wrong or cannot be read: `error: MESSAGE`, exit 1.
    Input(String),
    /// What the input names is not there: the message as kubectl prints it
    /// (`Error from server (NotFound): ...`), exit 1.
    NotFound(String),
    /// The input is invalid and its diagnostics are already on standard error: exit 1.
    Reported,
}

/// What a command ends with.
pub type Outcome = Result<(), Failure>;

impl Failure {
    /// Says what went wrong and gives the exit code.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Usage(message) => {
                err(&format!("error: {message}"));
                ExitCode::from(2)
            }
            Failure::Input(message) => {
                err(&format!("error: {message}"));
                ExitCode::from(1)
            }
            Failure::NotFound(message) => {
                err(&message);
                ExitCode::from(1)
            }
            Failure::Reported => ExitCode::from(1),
        }
    }
}

/// The exit code of `outcome`, having said what went wrong.
pub fn exit_code(outcome: Outcome) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
