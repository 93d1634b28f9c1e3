//! Parsing with swc, guarded so that no input can take the analysis down.
//!
//! swc's parser is recursive descent. On wasm32 there is no stack growth, so a file nested a few
//! hundred levels deep overflows the stack and traps the whole wasm instance. A cheap scan
//! ([`depth`]) estimates the nesting first and refuses such files with a clear diagnostic; hosts
//! still run the engine where a trap is survivable (the playground's Web Worker, the CLI's
//! big-stack thread).

mod depth;
pub(crate) mod search;

pub use depth::{depth_cost, MAX_DEPTH_COST, MAX_NESTING};

use swc_common::{BytePos, Spanned};
use swc_ecma_ast::{ExportDefaultExpr, Module, ModuleDecl, ModuleItem};
use swc_ecma_parser::{EsSyntax, Lexer, Parser, StringInput, Syntax, TsSyntax};

use crate::diagnostics::{Diagnostic, DiagnosticCode, Severity};
use crate::source::{ByteRange, LineIndex, SourceFile};

/// swc reserves `BytePos(0)` for "no position", so every file starts at 1.
const FILE_START: u32 = 1;

/// A file parsed into an swc module.
pub struct ParsedModule {
    pub module: Module,
}

/// Converts an swc span to byte offsets in the file's text.
pub fn byte_range(span: impl Spanned) -> ByteRange {
    let span = span.span();
    let offset = |pos: BytePos| (pos.0.saturating_sub(FILE_START)) as usize;
    ByteRange { start: offset(span.lo), end: offset(span.hi) }
}

/// Parses one file. On failure the diagnostics say why and where; on success they may still hold
/// errors swc recovered from.
pub fn parse_module(file: &SourceFile) -> (Option<ParsedModule>, Vec<Diagnostic>) {
    let lines = LineIndex::new(&file.text);
    let error = |code, range, message: String| Diagnostic {
        code,
        severity: Severity::Error,
        message,
        location: lines.location(&file.path, range),
        library: None,
    };
    if let Err(deep) = depth_cost(&file.text, MAX_DEPTH_COST) {
        let message = format!(
            "the code nests too deeply here (more than {MAX_NESTING} brackets, or chains of \
             operators, calls or functions as deep); convex-lens does not parse this file, \
             because it could overflow the stack (real Convex code stays far below the limit)"
        );
        let diagnostic = error(DiagnosticCode::NestingTooDeep, ByteRange { start: deep, end: deep + 1 }, message);
        return (None, vec![diagnostic]);
    }
    let Ok(len) = u32::try_from(file.text.len()) else {
        let message = "the file is larger than 4 GiB; convex-lens does not parse it".to_owned();
        return (None, vec![error(DiagnosticCode::SyntaxError, ByteRange { start: 0, end: 0 }, message)]);
    };
    let input = StringInput::new(&file.text, BytePos(FILE_START), BytePos(FILE_START + len));
    let mut parser = Parser::new(syntax_for(&file.path), input, None);
    let result = if file.path.ends_with(".json") { parse_json_module(&mut parser) } else { parser.parse_module() };
    let mut diagnostics: Vec<Diagnostic> = parser
        .take_errors()
        .into_iter()
        .map(|e| error(DiagnosticCode::SyntaxError, byte_range(e.span()), e.kind().msg().into_owned()))
        .collect();
    match result {
        Ok(module) => (Some(ParsedModule { module }), diagnostics),
        Err(e) => {
            diagnostics.push(error(DiagnosticCode::SyntaxError, byte_range(e.span()), e.kind().msg().into_owned()));
            (None, diagnostics)
        }
    }
}

/// A JSON file imported as a module (`import info from "./package.json"`, which esbuild bundles):
/// its value is the default export. JSON is a JavaScript expression, so swc parses it as one.
fn parse_json_module(parser: &mut Parser<Lexer>) -> swc_ecma_parser::PResult<Module> {
    let expr = parser.parse_expr()?;
    let span = expr.span();
    let export = ExportDefaultExpr { span, expr };
    Ok(Module { span, body: vec![ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultExpr(export))], shebang: None })
}

fn syntax_for(path: &str) -> Syntax {
    let extension = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    match extension {
        "js" | "mjs" | "cjs" | "jsx" | "json" => Syntax::Es(EsSyntax { jsx: true, ..Default::default() }),
        _ => Syntax::Typescript(TsSyntax {
            tsx: extension == "tsx",
            decorators: true,
            ..Default::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_nested_too_deep_gets_a_diagnostic_instead_of_a_parse() {
        let text = format!("export default {}1{};\n", "[".repeat(5000), "]".repeat(5000));
        let (module, diagnostics) = parse_module(&SourceFile::new("convex/schema.ts", text));
        assert!(module.is_none());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, DiagnosticCode::NestingTooDeep);
        assert_eq!((diagnostics[0].location.line, diagnostics[0].location.column), (1, 16 + MAX_NESTING));
    }

    #[test]
    fn a_syntax_error_is_reported_with_its_line_and_column() {
        let file = SourceFile::new("convex/schema.ts", "const a = 1;\nconst = 2;\n");
        let (module, diagnostics) = parse_module(&file);
        assert!(module.is_none());
        assert_eq!(diagnostics[0].code, DiagnosticCode::SyntaxError);
        assert_eq!(diagnostics[0].location.line, 2);
    }

    #[test]
    fn a_json_file_is_a_module_whose_default_export_is_its_value() {
        let file = SourceFile::new("node_modules/pkg/package.json", "{\n  \"name\": \"pkg\",\n  \"version\": \"1.0.0\"\n}\n");
        let (module, diagnostics) = parse_module(&file);
        assert_eq!(diagnostics, vec![]);
        let body = module.unwrap().module.body;
        assert!(matches!(&body[..], [ModuleItem::ModuleDecl(ModuleDecl::ExportDefaultExpr(_))]));
    }

    #[test]
    fn typescript_and_jsx_parse_by_extension() {
        let ts = SourceFile::new("a.ts", "const a: Array<number> = [] as number[];");
        assert!(parse_module(&ts).0.is_some());
        let jsx = SourceFile::new("a.jsx", "export const A = () => <div>{1}</div>;");
        assert!(parse_module(&jsx).0.is_some());
    }
}
