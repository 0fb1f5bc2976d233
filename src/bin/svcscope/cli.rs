//! The command line: arguments, input files, and the output of each subcommand.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use svcscope::sim::manifest::{parse_manifests, ParsedManifests, Severity};

/// See how Kubernetes Services work: the API server, the controllers, EndpointSlices, cluster
/// DNS and kube-proxy, modelled from your YAML.
#[derive(Parser)]
#[command(name = "svcscope", version, about)]
struct Cli {
    /// Manifest file to read (repeatable); `-` reads standard input, a directory loads its
    /// *.yaml, *.yml and *.json files in name order.
    #[arg(short = 'f', long = "filename", global = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the objects found in the input (KIND, NAMESPACE, NAME) and any problems reading it.
    Objects,
}

/// One input text and where it came from.
struct Input {
    origin: String,
    text: String,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let inputs = match read_inputs(&cli.files) {
        Ok(inputs) => inputs,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    match cli.command {
        Command::Objects => objects(&inputs),
    }
}

fn objects(inputs: &[Input]) -> ExitCode {
    let parsed: Vec<(&Input, ParsedManifests)> = inputs
        .iter()
        .map(|input| (input, parse_manifests(&input.text)))
        .collect();
    let rows: Vec<[&str; 3]> = parsed
        .iter()
        .flat_map(|(_, parsed)| parsed.objects.iter())
        .map(|object| {
            let namespace = if object.namespace.is_empty() {
                "<none>"
            } else {
                object.namespace.as_str()
            };
            [object.kind.as_str(), namespace, object.name.as_str()]
        })
        .collect();
    print!("{}", render_table(&["KIND", "NAMESPACE", "NAME"], &rows));
    let mut invalid = false;
    for (input, parsed) in &parsed {
        for diagnostic in &parsed.diagnostics {
            let severity = match diagnostic.severity {
                Severity::Error => {
                    invalid = true;
                    "error"
                }
                Severity::Warning => "warning",
            };
            eprintln!(
                "{severity}: {}: {}",
                input.origin,
                diagnostic.to_display_string()
            );
        }
    }
    if invalid {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Columns separated by three spaces, left-aligned, as kubectl's tabwriter prints them.
fn render_table(header: &[&str; 3], rows: &[[&str; 3]]) -> String {
    let mut widths = header.map(str::len);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(header).chain(rows) {
        let mut line = String::new();
        for (index, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if index + 1 < row.len() {
                let width = widths.get(index).copied().unwrap_or(0);
                let padding = width.saturating_sub(cell.chars().count()) + 3;
                line.push_str(&" ".repeat(padding));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Reads every `-f` argument; no argument means standard input.
fn read_inputs(files: &[PathBuf]) -> Result<Vec<Input>, String> {
    if files.is_empty() {
        return Ok(vec![read_stdin()?]);
    }
    let mut inputs = Vec::new();
    for file in files {
        if file.as_os_str() == "-" {
            inputs.push(read_stdin()?);
        } else if file.is_dir() {
            for path in manifest_files_in(file)? {
                inputs.push(read_file(&path)?);
            }
        } else {
            inputs.push(read_file(file)?);
        }
    }
    Ok(inputs)
}

fn read_stdin() -> Result<Input, String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|error| format!("reading standard input: {error}"))?;
    Ok(Input {
        origin: "<stdin>".to_owned(),
        text,
    })
}

fn read_file(path: &Path) -> Result<Input, String> {
    let bytes =
        std::fs::read(path).map_err(|error| format!("reading {}: {error}", path.display()))?;
    Ok(Input {
        origin: path.display().to_string(),
        text: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// The *.yaml, *.yml and *.json files directly inside `directory`, sorted by name.
fn manifest_files_in(directory: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(directory)
        .map_err(|error| format!("reading {}: {error}", directory.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && matches!(
                    path.extension().and_then(|extension| extension.to_str()),
                    Some("yaml" | "yml" | "json")
                )
        })
        .collect();
    paths.sort();
    Ok(paths)
}
