//! A conservative estimate, made before parsing, of how deep swc and the passes after it will
//! recurse on a file.
//!
//! swc's parser is recursive descent and an AST is dropped recursively. On wasm32 the stack is
//! fixed (V8 gives about 1 MiB) and cannot grow, so one file nested deeply enough traps the wasm
//! instance, and the rest of the project is lost with it. Brackets are not the only nesting:
//! `a.b.c…`, `a + b + …`, `x => y => …`, `A<B<…>>` and `if (a) if (b) …` nest the AST as deeply
//! with none. swc has no depth limit to set, so this scan prices every token by the parser frames
//! it can open and refuses a file whose running total passes a budget. The weights were measured
//! in a debug wasm build in headless Chromium; the worker's tests run each form at the largest
//! size this scan accepts, so a weight set too low fails there.
//!
//! The model: one level per open bracket (`(`, `[`, `{`, `${`) and per `<` until its `>`. A level
//! costs [`BRACKET`] while it is open, plus the weight of the tokens since its last `,` or
//! statement boundary, since the items of a list and the statements of a block are siblings and
//! do not stack. A statement ends at a `;` (unless `else` follows), at a line break unless the
//! line continues (it ends with an operator, the next starts with one, or it is the head of an
//! `if`, `for`, `while` or `else`), and where a name or literal follows an operand. Names and
//! literals weigh nothing: every level of nesting without brackets needs an operator or a keyword.
//! Strings, comments and template text are skipped, and so are regular-expression literals: a `/`
//! starts one wherever an operand may start, the rule JavaScript's own lexers use. JSX is not
//! modelled: its tags scan as `<` and `>`, and nested elements stay bounded because their closing
//! tags (`</a>`) leave levels open.

/// The budget, in the units below. Of 33,600 files of real TypeScript and JavaScript (the npm
/// corpus with its dependencies, minified bundles included; `examples/depth_peaks.rs` measures it)
/// the costliest reaches 615 and 99.9% stay under 270. swc overflows a debug wasm build at about
/// 1,400 (280 parentheses), and a release build later.
pub const MAX_DEPTH_COST: u32 = 800;
/// An open bracket: swc spends about as many frames on one as on five operators.
const BRACKET: u32 = 5;
/// A lone `<` opens type arguments or a JSX element, which nest like brackets, until a `>` at its
/// level closes it; a less-than stays open until its statement or bracket ends.
const ANGLE: u32 = 5;
/// `function`, `class` and `=>` start a function, whose body nests many parser frames.
const FUNCTION: u32 = 6;
/// Any other punctuator, and the keywords in [`OPERATOR_KEYWORDS`].
const OPERATOR: u32 = 1;
/// `if`, `else`, `for`, `while`, `do`, `with`: their body may be a statement without braces, and
/// swc spends as many frames on one of those as on a bracket.
const STATEMENT: u32 = 4;

/// Deepest bracket nesting the scan accepts when nothing else nests.
pub const MAX_NESTING: usize = (MAX_DEPTH_COST / BRACKET) as usize;

/// Keywords that nest what follows them: unary and binary operators and type operators.
const OPERATOR_KEYWORDS: &[&str] = &[
    "as",
    "asserts",
    "async",
    "await",
    "case",
    "delete",
    "extends",
    "in",
    "infer",
    "instanceof",
    "is",
    "keyof",
    "new",
    "readonly",
    "return",
    "satisfies",
    "throw",
    "typeof",
    "unique",
    "void",
    "yield",
];
/// Keywords that continue the previous line's expression or statement when they start a line.
const CONTINUING_KEYWORDS: &[&str] = &["as", "else", "extends", "implements", "in", "instanceof", "is", "satisfies"];

/// Scans `text` and returns the highest cost reached, or the byte offset of the first token that
/// takes the cost past `budget`.
pub fn depth_cost(text: &str, budget: u32) -> Result<u32, usize> {
    let bytes = text.as_bytes();
    let mut scan = Scan::new();
    let mut i = 0;
    // Set while scanning the literal text of a template (between a backtick or `}` and the next
    // `${` or closing backtick).
    let mut in_template_text = false;
    while i < bytes.len() {
        let start = i;
        if in_template_text {
            match bytes[i] {
                b'\\' => i += 1,
                b'`' => in_template_text = false,
                b'$' if bytes.get(i + 1) == Some(&b'{') => {
                    scan.open(Opened::TemplateExpression);
                    in_template_text = false;
                    i += 1;
                }
                _ => {}
            }
        } else {
            match bytes[i] {
                b'\n' => scan.boundary = scan.boundary.max(Boundary::LineBreak),
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i = bytes[i..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| i + p) - 1;
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    let end = text[i + 2..].find("*/").map_or(bytes.len(), |p| i + 2 + p + 2);
                    if bytes[i..end].contains(&b'\n') {
                        scan.boundary = scan.boundary.max(Boundary::LineBreak);
                    }
                    i = end - 1;
                }
                b'/' if scan.level().last != Last::Operand => {
                    scan.token(Joins::Operand, 0);
                    i = skip_regex(bytes, i + 1);
                }
                quote @ (b'"' | b'\'') => {
                    scan.token(Joins::Operand, 0);
                    i = skip_string(bytes, i + 1, quote);
                }
                b'`' => {
                    // A template is an operand, but tagged templates chain (`` a`x``y` ``).
                    scan.token(Joins::Continues, OPERATOR);
                    in_template_text = true;
                }
                b'(' | b'[' => {
                    scan.token(Joins::Continues, 0);
                    scan.open(Opened::Bracket);
                }
                b'{' => {
                    scan.token(Joins::Brace, 0);
                    scan.level().head = Head::None;
                    scan.open(Opened::Bracket);
                }
                b')' | b']' | b'}' => in_template_text = scan.close_bracket() == Some(Opened::TemplateExpression),
                b',' => scan.end_run(),
                b';' => scan.end_statement(),
                b if is_word_byte(b) => {
                    let end = bytes[i..].iter().position(|&b| !is_word_byte(b)).map_or(bytes.len(), |p| i + p);
                    scan.word(&text[i..end]);
                    i = end - 1;
                }
                b if b.is_ascii_punctuation() => {
                    let punctuator = punctuator_at(&text[i..]);
                    scan.punctuator(punctuator);
                    i += punctuator.len() - 1;
                }
                // Spaces, control characters and the bytes of UTF-8 characters outside names.
                _ => {}
            }
        }
        i += 1;
        if scan.total > budget {
            return Err(start);
        }
        scan.peak = scan.peak.max(scan.total);
    }
    Ok(scan.peak)
}

#[derive(Clone, Copy, PartialEq)]
enum Opened {
    File,
    Bracket,
    TemplateExpression,
    /// A `<`, closed by the next `>` at its level.
    Angle,
}

/// The statements whose body is a statement may put it on the next line: a line break there does
/// not end the run, since the body nests inside the statement.
#[derive(Clone, Copy, PartialEq)]
enum Head {
    None,
    /// After `if`, `for`, `while` or `with`, before its parenthesised condition closes.
    AwaitingCondition,
    /// After the condition, or `else` or `do`: the next token starts the body.
    BodyMayFollow,
}

/// How a token joins the one before it on its level.
#[derive(Clone, Copy, PartialEq)]
enum Joins {
    /// Operators, `(`, `[` and backticks continue an expression, even at the start of a line.
    Continues,
    /// `else`, `as`, `in`...: they continue what is before them, even across a line or a `;`.
    Keyword,
    /// `{` starts a block at the start of a line, but is a body after `)` or `=>`.
    Brace,
    /// Names, other keywords and literals.
    Operand,
}

/// What lies between two tokens, weakest first.
#[derive(Clone, Copy, PartialEq, PartialOrd, Eq, Ord)]
enum Boundary {
    None,
    LineBreak,
    Semicolon,
}

#[derive(Clone, Copy, PartialEq)]
enum Last {
    Nothing,
    Operand,
    Operator,
}

struct Level {
    opened: Opened,
    /// What the level costs while open.
    held: u32,
    /// What the tokens since the level's last `,`, `;` or statement-ending line break cost.
    run: u32,
    last: Last,
    /// Where the level is in the head of an `if`, `for`, `while`, `else`...
    head: Head,
    /// The last token is a name that starts a statement (or a list item), so a `:` after it
    /// makes a label.
    lone_name: bool,
    /// The last token is a label's `:`, so a name after it starts a statement too.
    after_label: bool,
}

struct Scan {
    /// Never empty: the file's own level is never closed.
    levels: Vec<Level>,
    total: u32,
    peak: u32,
    /// What separates the last token from the next.
    boundary: Boundary,
}

impl Scan {
    fn new() -> Scan {
        let file = Level {
            opened: Opened::File,
            held: 0,
            run: 0,
            last: Last::Nothing,
            head: Head::None,
            lone_name: false,
            after_label: false,
        };
        Scan { levels: vec![file], total: 0, peak: 0, boundary: Boundary::None }
    }

    fn level(&mut self) -> &mut Level {
        self.levels.last_mut().expect("the file's level is never closed")
    }

    /// Accounts for a token of `weight`, which first ends the run if it starts a new statement.
    fn token(&mut self, joins: Joins, weight: u32) {
        let boundary = std::mem::replace(&mut self.boundary, Boundary::None);
        let level = self.level();
        let starts_statement = match (level.head, boundary) {
            // A statement's body nests in it, on the same line or the next.
            (Head::BodyMayFollow, _) => false,
            (_, Boundary::Semicolon) => joins != Joins::Keyword,
            (_, Boundary::LineBreak) => matches!(joins, Joins::Brace | Joins::Operand) && level.last != Last::Operator,
            // JavaScript has no juxtaposition: an operand right after one starts a statement
            // (minified code runs `}function f(){…}function g…` together on one line).
            (_, Boundary::None) => joins == Joins::Operand && level.last == Last::Operand,
        };
        if starts_statement {
            self.end_run();
        }
        let level = self.level();
        let at_statement_start = level.run == 0 || level.after_label;
        level.lone_name = joins == Joins::Operand && weight == 0 && at_statement_start;
        level.after_label = false;
        if level.head == Head::BodyMayFollow {
            // The body starts here, on the head's line or the next.
            level.head = Head::None;
        }
        level.run += weight;
        level.last = if weight > 0 { Last::Operator } else { Last::Operand };
        self.total += weight;
    }

    fn word(&mut self, word: &str) {
        let weight = match word {
            "function" | "class" => FUNCTION,
            "if" | "else" | "for" | "while" | "do" | "with" => STATEMENT,
            _ if OPERATOR_KEYWORDS.contains(&word) => OPERATOR,
            _ => 0,
        };
        let joins = if CONTINUING_KEYWORDS.contains(&word) { Joins::Keyword } else { Joins::Operand };
        self.token(joins, weight);
        match word {
            "if" | "for" | "while" | "with" => self.level().head = Head::AwaitingCondition,
            "do" | "else" => self.level().head = Head::BodyMayFollow,
            _ => {}
        }
    }

    fn punctuator(&mut self, punctuator: &str) {
        match punctuator {
            "=>" => self.token(Joins::Continues, FUNCTION),
            // A lone `<` may open type arguments (or a JSX element); `<=` and `<<` never do.
            "<" => {
                self.token(Joins::Continues, 0);
                self.open(Opened::Angle);
            }
            _ if punctuator.starts_with('>') && self.level().opened == Opened::Angle => {
                // `A<B<C>>` lexes as one `>>`: each `>` closes a level of type arguments.
                for _ in punctuator.bytes().take_while(|&b| b == b'>') {
                    if self.level().opened != Opened::Angle {
                        break;
                    }
                    self.close();
                }
            }
            // After a lone name, a `:` makes a label (or an object key, or a parameter's type):
            // labelled statements nest like `if`.
            ":" if self.level().lone_name => {
                self.token(Joins::Continues, STATEMENT);
                self.level().after_label = true;
            }
            _ => self.token(Joins::Continues, OPERATOR),
        }
    }

    /// A `;` ends the statement, and with it any `<` that turned out to be less-than. The run ends
    /// at the next token, unless that is an `else`, which nests in the statement before it.
    fn end_statement(&mut self) {
        while self.level().opened == Opened::Angle {
            self.close();
        }
        self.level().head = Head::None;
        self.boundary = Boundary::Semicolon;
    }

    fn end_run(&mut self) {
        let level = self.level();
        let run = std::mem::take(&mut level.run);
        level.last = Last::Nothing;
        level.head = Head::None;
        self.total -= run;
    }

    fn open(&mut self, opened: Opened) {
        let held = if opened == Opened::Angle { ANGLE } else { BRACKET };
        self.levels.push(Level {
            opened,
            held,
            run: 0,
            last: Last::Nothing,
            head: Head::None,
            lone_name: false,
            after_label: false,
        });
        self.total += held;
    }

    /// Closes a bracket's level, and the levels of any `<` left open inside it (less-than, or
    /// type arguments in code that does not parse); a stray closing bracket is ignored.
    fn close_bracket(&mut self) -> Option<Opened> {
        while self.level().opened == Opened::Angle {
            self.close();
        }
        self.close()
    }

    /// Closes the innermost level; the file's own level stays.
    fn close(&mut self) -> Option<Opened> {
        if self.levels.len() == 1 {
            return None;
        }
        let closed = self.levels.pop()?;
        self.total -= closed.held + closed.run;
        // The bracketed group is one operand of the level around it, and a call or index nests.
        self.boundary = Boundary::None;
        let level = self.level();
        level.run += OPERATOR;
        level.last = Last::Operand;
        if level.head == Head::AwaitingCondition {
            level.head = Head::BodyMayFollow;
        }
        self.total += OPERATOR;
        Some(closed.opened)
    }
}

/// JavaScript's punctuators of more than one character, longest first, so that `===` counts as
/// one operator and not three. Brackets, `,` and `;` never reach this.
const PUNCTUATORS: &[&str] = &[
    ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=", "<=", ">=", "&&",
    "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>",
];

/// The punctuator `rest` starts with (a single character when no longer one matches).
fn punctuator_at(rest: &str) -> &str {
    PUNCTUATORS.iter().find(|p| rest.starts_with(**p)).map_or(&rest[..1], |p| &rest[..p.len()])
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Returns the offset of the last byte of a regular expression: its closing `/` or last flag (or
/// the end of the line for an unterminated one); a `/` inside a character class does not close it.
fn skip_regex(bytes: &[u8], mut i: usize) -> usize {
    let mut in_class = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'\n' => return i,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'/' if !in_class => return i + bytes[i + 1..].iter().take_while(|b| b.is_ascii_alphabetic()).count(),
            _ => {}
        }
        i += 1;
    }
    i
}

/// Returns the offset of the closing quote (or the end of the line for an unterminated string).
fn skip_string(bytes: &[u8], mut i: usize, quote: u8) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'\n' => return i,
            b if b == quote => return i,
            _ => {}
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(text: &str) -> u32 {
        depth_cost(text, u32::MAX).unwrap()
    }

    #[test]
    fn strings_comments_and_template_text_cost_nothing() {
        assert_eq!(
            cost(
                r#"f("((((", '[[[', `{{{ ${ a } }}}`) // (((((
            /* {{{{{ */ x"#
            ),
            2 * BRACKET + OPERATOR
        );
    }

    #[test]
    fn brackets_alone_are_refused_past_max_nesting() {
        let text = format!("x {}1{}", "(".repeat(300), ")".repeat(300));
        assert_eq!(depth_cost(&text, MAX_DEPTH_COST), Err(2 + MAX_NESTING));
    }

    #[test]
    fn chains_without_brackets_are_priced_by_their_operators() {
        let members = format!("x{}", ".a".repeat(2000));
        assert_eq!(depth_cost(&members, MAX_DEPTH_COST), Err(2 * MAX_DEPTH_COST as usize + 1));
        assert_eq!(cost("a => b => c"), 2 * FUNCTION);
        assert_eq!(cost("x as A<B<C>>"), OPERATOR + 2 * ANGLE);
        assert_eq!(cost(&"if (x === 1 || x >= 2 && x <= 3) y\n".repeat(100)), STATEMENT + BRACKET + 5 * OPERATOR);
        assert_eq!(cost(&"type A = B<C<D>>\n".repeat(100)), OPERATOR + 2 * ANGLE);
    }

    #[test]
    fn siblings_in_lists_and_blocks_do_not_stack() {
        assert_eq!(cost(&"a.b.c;".repeat(1000)), 2);
        assert_eq!(cost(&format!("[{}]", "a.b.c, ".repeat(1000))), BRACKET + 2);
        // Statements without semicolons end at the line break...
        assert_eq!(cost(&"const x = a.b\n".repeat(1000)), 2);
    }

    #[test]
    fn a_line_that_continues_keeps_its_run() {
        assert_eq!(cost("defineTable(x)\n  .index(a)\n  .index(b)"), 4 * OPERATOR + BRACKET);
        assert_eq!(cost("a +\nb +\nc"), 2);
        assert_eq!(cost("type T =\n  | A\n  | B"), 3);
        assert_eq!(cost("if (a)\n  if (b)\n    c"), 2 * STATEMENT + OPERATOR + BRACKET);
        assert_eq!(cost("if (a) {\n} else if (b) {\n}\nfoo()"), 3 * STATEMENT + 3 * OPERATOR + BRACKET);
    }

    #[test]
    fn regular_expressions_are_operands_and_division_is_an_operator() {
        assert_eq!(cost(r"x = /[(\/]+{2}/g.test(y)"), OPERATOR + OPERATOR + BRACKET);
        assert_eq!(cost("x = a / b / (c)"), 3 * OPERATOR + BRACKET);
    }

    #[test]
    fn unbalanced_closers_and_binary_junk_do_not_underflow() {
        assert_eq!(cost(")))]]}}}"), 0);
        let junk: String = (0u8..=255).map(char::from).collect();
        assert!(depth_cost(&junk, MAX_DEPTH_COST).is_ok());
    }
}
