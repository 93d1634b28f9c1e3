//! `convex-lens`: the engine on the command line.
//!
//! `convex-lens inspect <dir> [--json] [--no-packages]` reads a project (the folder holding
//! `convex/`, or the `convex/` folder itself) and the installed packages it imports (unless
//! `--no-packages`), and prints its model, or the engine's analysis as JSON.
//! `convex-lens diagram <dir> [schema|reactivity|calls] [--mermaid] [--dark] [--no-packages]`
//! prints a diagram (the schema by default) as SVG, the same drawing the playground shows, or as
//! Mermaid text.
//! `convex-lens check <dir> [--format text|json] [--no-packages]` prints the findings, most
//! severe first, and what could not be verified.
//! Exit status: 0 when the engine reported no error (and `check` no error-level finding), 1 when
//! it did, 2 for bad usage or I/O.

use std::path::Path;
use std::process::ExitCode;

use convex_lens::{analyze_on_big_stack, read_project};
use convex_lens_engine::{Analysis, Severity};


const USAGE: &str = "usage: convex-lens inspect <dir> [--json] [--no-packages]\n       convex-lens check <dir> [--format text|json] [--no-packages]\n       convex-lens diagram <dir> [schema|reactivity|calls] [--mermaid] [--dark] [--no-packages]";

/// What to print once the project is analysed.
enum Output {
    Inspect { json: bool },
    Check { json: bool },
    Diagram { which: String, mermaid: bool, dark: bool },
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(command), Some(dir)) = (args.first().map(String::as_str), args.get(1)) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let options = &args[2..];
    let has = |flag: &str| options.iter().any(|a| a == flag);
    let allowed: &[&str] = match command {
        "inspect" => &["--json", "--no-packages"],
        // Its options are read by `check_format`, which names a bad one.
        "check" => &[],
        "diagram" => &["schema", "reactivity", "calls", "--mermaid", "--dark", "--no-packages"],
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Some(unknown) = options.iter().find(|a| command != "check" && !allowed.contains(&a.as_str())) {
        eprintln!("convex-lens: unknown option {unknown}\n{USAGE}");
        return ExitCode::from(2);
    }
    let output = if command == "inspect" {
        Output::Inspect { json: has("--json") }
    } else if command == "check" {
        match check_format(options) {
            Ok(json) => Output::Check { json },
            Err(message) => {
                eprintln!("convex-lens: {message}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    } else {
        let which = options.iter().find(|a| !a.starts_with("--")).cloned().unwrap_or_else(|| "schema".into());
        Output::Diagram { which, mermaid: has("--mermaid"), dark: has("--dark") }
    };
    let packages = !options.iter().any(|a| a == "--no-packages");
    let is_check = matches!(output, Output::Check { .. });
    let project = match read_project(Path::new(dir), packages) {
        Ok(project) => project,
        Err(error) => {
            eprintln!("convex-lens: cannot read {dir}: {error}");
            return ExitCode::from(2);
        }
    };
    if let Some(stopped) = &project.packages.stopped {
        eprintln!("convex-lens: {stopped}");
    }
    let packages_read = project.packages.files;
    let analysis = match analyze_on_big_stack(project.files, project.functions_dir) {
        Ok(analysis) => analysis,
        Err(error) => {
            eprintln!("convex-lens: {error}");
            return ExitCode::from(2);
        }
    };
    let text = match output {
        Output::Inspect { json: true } => {
            format!("{}\n", serde_json::to_string_pretty(&analysis.inspection()).expect("the analysis serialises"))
        }
        Output::Inspect { json: false } => {
            let mut text = render_text(&analysis);
            if packages_read > 0 {
                text.push_str(&format!("({packages_read} files of installed packages were read for the values the project imports)\n"));
            }
            text
        }
        Output::Diagram { which, mermaid, dark } => convex_lens::diagram_text(&analysis, &which, mermaid, dark),
        Output::Check { json: true } => convex_lens::check::json(&analysis),
        Output::Check { json: false } => convex_lens::check::text(&analysis),
    };
    // Not `print!`, which panics when the reader has gone (`convex-lens inspect . | head`):
    // a closed pipe only means no one wants the rest.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    let failed_check = is_check && analysis.findings.iter().any(|f| f.severity == Severity::Error);
    if failed_check || analysis.diagnostics.iter().any(|d| d.severity == Severity::Error) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The options of `check`: `--format json` (or `--format=json`; text by default) and
/// `--no-packages`. Whether the output is JSON.
fn check_format(options: &[String]) -> Result<bool, String> {
    let mut json = false;
    let mut i = 0;
    while i < options.len() {
        let format = match options[i].as_str() {
            "--no-packages" => {
                i += 1;
                continue;
            }
            "--format" => {
                i += 1;
                options.get(i).map(String::as_str).ok_or("--format needs a value: text or json")?
            }
            other => other.strip_prefix("--format=").ok_or_else(|| format!("unknown option {other}"))?,
        };
        json = match format {
            "json" => true,
            "text" => false,
            other => return Err(format!("unknown format {other}: text or json")),
        };
        i += 1;
    }
    Ok(json)
}

fn render_text(analysis: &Analysis) -> String {
    let mut out = String::new();
    for d in &analysis.diagnostics {
        let severity = d.severity.as_str();
        let code = serde_json::to_value(d.code).ok().and_then(|c| c.as_str().map(str::to_owned)).unwrap_or_default();
        out.push_str(&format!("{}:{}:{}: {severity}[{code}]: {}\n", d.location.file, d.location.line, d.location.column, d.message));
    }
    render_schema(analysis, &mut out);
    out.push_str(&format!("{} functions\n", analysis.functions.len()));
    for function in &analysis.functions {
        let kind = serde_json::to_value(function.kind).ok().and_then(|k| k.as_str().map(str::to_owned)).unwrap_or_default();
        let visibility = serde_json::to_value(function.visibility).ok().and_then(|k| k.as_str().map(str::to_owned)).unwrap_or_default();
        let node = if function.runtime == convex_lens_engine::Runtime::Node { " (node)" } else { "" };
        if function.kind == convex_lens_engine::FunctionKind::HttpAction {
            // Reached through routes, with a Request: no visibility, no validated args.
            out.push_str(&format!("  {kind} {}{node}\n", function.path));
            continue;
        }
        let args = function.args.as_ref().map_or("?".to_owned(), |a| a.describe());
        out.push_str(&format!("  {visibility} {kind} {}{node}  args: {args}\n", function.path));
    }
    if !analysis.http_routes.is_empty() {
        out.push_str(&format!("{} http routes\n", analysis.http_routes.len()));
        for route in &analysis.http_routes {
            out.push_str(&format!("  {} {}\n", route.method, route.path));
        }
    }
    if !analysis.crons.is_empty() {
        out.push_str(&format!("{} cron jobs\n", analysis.crons.len()));
        for job in &analysis.crons {
            out.push_str(&format!("  {} → {} {}\n", job.name, job.function.as_deref().unwrap_or("?"), job.schedule));
        }
    }
    if !analysis.components.is_empty() {
        out.push_str(&format!("{} components\n", analysis.components.len()));
        for component in &analysis.components {
            out.push_str(&format!("  {} ({})\n", component.name.as_deref().unwrap_or("?"), component.definition));
        }
    }
    convex_lens::report::render(analysis, &mut out);
    out
}

fn render_schema(analysis: &Analysis, out: &mut String) {
    match (&analysis.schema_file, &analysis.schema) {
        (None, _) => out.push_str("no schema file found\n"),
        (Some(file), None) => out.push_str(&format!("{file}: no schema could be read\n")),
        (Some(file), Some(schema)) => {
            out.push_str(&format!("{file}: {} tables\n", schema.tables.len()));
            for table in &schema.tables {
                out.push_str(&format!("  {}\n", table.table_name));
                let db = table.indexes.iter().map(|i| (i, "")).chain(table.staged_db_indexes.iter().map(|i| (i, " (staged)")));
                for (index, staged) in db {
                    out.push_str(&format!("    index {} [{}]{staged}\n", index.index_descriptor, index.fields.join(", ")));
                }
                let search = table.search_indexes.iter().map(|i| (i, "")).chain(table.staged_search_indexes.iter().map(|i| (i, " (staged)")));
                for (index, staged) in search {
                    out.push_str(&format!("    search {} on {} [{}]{staged}\n", index.index_descriptor, index.search_field, index.filter_fields.join(", ")));
                }
                let vector = table.vector_indexes.iter().map(|i| (i, "")).chain(table.staged_vector_indexes.iter().map(|i| (i, " (staged)")));
                for (index, staged) in vector {
                    out.push_str(&format!("    vector {} on {} ({} dimensions) [{}]{staged}\n", index.index_descriptor, index.vector_field, index.dimensions, index.filter_fields.join(", ")));
                }
            }
        }
    }
}
