//! The app model of multi-file projects: values across modules, the function registry, and
//! recovery from files that do not parse.

use convex_lens_engine::{analyze, DiagnosticCode, SourceFile};

fn project(files: &[(&str, &str)]) -> Vec<SourceFile> {
    files.iter().map(|(path, text)| SourceFile::new(*path, *text)).collect()
}

#[test]
fn validators_and_builders_defined_in_other_modules_are_followed() {
    let files = project(&[
        ("convex/lib/fields.ts", "import { v } from \"convex/values\";\nexport const status = v.union(...[\"open\", \"done\"].map((s) => v.literal(s)));\n"),
        ("convex/lib/index.ts", "export * from \"./fields\";\n"),
        (
            "convex/tasks.ts",
            "import { query as q, internalMutation } from \"./_generated/server\";\nimport { v } from \"convex/values\";\nimport { status } from \"./lib/index.js\";\n\
             export const list = q({ args: { status }, returns: v.null(), handler: async () => null });\n\
             const bump = internalMutation(async () => {});\nexport { bump, bump as touch };\nexport default q(async () => 1);\n",
        ),
    ]);
    let analysis = analyze(&files);
    assert_eq!(analysis.diagnostics, vec![]);
    insta::assert_json_snapshot!(analysis.inspection().functions);
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_the_others_are_still_read() {
    let files = project(&[
        ("convex/broken.ts", "export const a = query({ handler: async () => { ;\n"),
        ("convex/ok.ts", "import { query } from \"./_generated/server\";\nexport const ok = query(async () => 1);\n"),
    ]);
    let analysis = analyze(&files);
    assert!(analysis.diagnostics.iter().any(|d| d.code == DiagnosticCode::SyntaxError && d.location.file == "convex/broken.ts"));
    let paths: Vec<&str> = analysis.functions.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["ok:ok"]);
}

#[test]
fn an_export_from_an_unread_package_is_an_unknown_with_its_reason() {
    let files = project(&[(
        "convex/jobs.ts",
        "import { makeJob } from \"some-job-lib\";\nexport const run = makeJob();\n",
    )]);
    let analysis = analyze(&files);
    assert_eq!(analysis.functions, vec![]);
    assert_eq!(analysis.diagnostics.len(), 1);
    assert!(analysis.diagnostics[0].message.contains("\"some-job-lib\", whose source is not among the files analysed"), "{:?}", analysis.diagnostics);
    assert_eq!((analysis.diagnostics[0].location.line, analysis.diagnostics[0].location.column), (2, 20));
}

#[test]
fn recursion_in_user_functions_ends() {
    let files = project(&[(
        "convex/loop.ts",
        "import { v } from \"convex/values\";\nconst f = (n) => f(n + 1);\nexport const x = f(0);\n",
    )]);
    let analysis = analyze(&files);
    assert!(analysis.diagnostics.iter().any(|d| d.message.contains("deeper than")), "{:?}", analysis.diagnostics);
}

#[test]
fn a_field_set_by_constructor_code_that_is_not_followed_is_unknown_not_guessed() {
    let files = project(&[(
        "convex/jobs.ts",
        "import { v } from \"convex/values\";\nimport { query } from \"./_generated/server\";\n\
         class Jobs {\n  kind = v.string();\n  constructor(flag: boolean) {\n    if (flag) { this.kind = v.number(); }\n  }\n\
           listQuery() { return query({ args: { kind: this.kind }, handler: async () => null }); }\n}\n\
         export const list = new Jobs(true).listQuery();\n",
    )]);
    let analysis = analyze(&files);
    let list = analysis.functions.iter().find(|f| f.path == "jobs:list").expect("the function is registered");
    let parts: Vec<&str> = list.unknown.iter().map(|u| u.part.as_str()).collect();
    assert_eq!((list.args.as_ref(), parts.as_slice()), (None, &["args"][..]));
    assert!(list.unknown[0].reason.starts_with("the args of `jobs:list` are not known statically"), "{:?}", list.unknown);
    assert!(
        analysis.diagnostics.iter().any(|d| d.message.contains("`this.kind` is set by constructor code that is not evaluated statically")),
        "{:?}",
        analysis.diagnostics
    );
}

#[test]
fn typescript_enums_evaluate_to_the_objects_they_compile_to() {
    let files = project(&[(
        "convex/status.ts",
        "import { v } from \"convex/values\";\nimport { query } from \"./_generated/server\";\n\
         enum Level { Low = 1, High }\nenum Color { Red = \"red\", Blue = \"blue\" }\n\
         export const f = query({ args: { level: v.union(...Object.values(Level).map((l) => v.literal(l))), \
         color: v.union(...Object.values(Color).map((c) => v.literal(c))) }, handler: async () => null });\n",
    )]);
    let analysis = analyze(&files);
    assert_eq!(analysis.diagnostics, vec![]);
    insta::assert_json_snapshot!(analysis.inspection().functions[0].args);
}

#[test]
fn an_argument_whose_validator_is_unknown_is_reported_once() {
    let files = project(&[(
        "convex/notes.ts",
        "import { query } from \"./_generated/server\";\nimport { vNote } from \"@acme/validators\";\n\
         export const list = query({ args: { note: vNote }, handler: async () => [] });\n",
    )]);
    let analysis = analyze(&files);
    let messages: Vec<&str> = analysis.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].starts_with("the args of `notes:list` are not known statically: field `note` is left out"), "{messages:?}");
}

/// Values are copied when read: without a bound on their size, thirty doublings take 2^30 steps
/// and as much memory (this test hung before the bound).
#[test]
fn values_built_by_doubling_are_cut_off_with_a_reason() {
    let mut values = String::from("const a0 = [1];\nconst s0 = \"xxxxxxxxxx\";\n");
    let mut schema = String::from(
        "import { defineSchema, defineTable } from \"convex/server\";\nimport { v } from \"convex/values\";\n\
         const v0 = v.object({ a: v.string() });\n",
    );
    for i in 1..=30 {
        let p = i - 1;
        values += &format!("const a{i} = [a{p}, a{p}];\nconst s{i} = s{p} + s{p};\n");
        schema += &format!("const v{i} = v.object({{ a: v{p}, b: v{p} }});\n");
    }
    values += "export const arrays = a30;\nexport const strings = s30;\n";
    schema += "export default defineSchema({ t: defineTable(v30) });\n";
    let analysis = analyze(&project(&[("convex/values.ts", &values), ("convex/schema.ts", &schema)]));
    let too_large = |name: &str| {
        analysis.diagnostics.iter().any(|d| d.message.contains(name) && d.message.contains("too large to follow"))
    };
    assert!(too_large("`arrays`") && too_large("`strings`") && too_large("field `a`"), "{:?}", analysis.diagnostics);
    // The schema itself is still read.
    assert_eq!(analysis.schema.unwrap().tables[0].table_name, "t");
}

/// A function's validators are copied with it, so they count towards the size of what holds it.
#[test]
fn functions_count_their_validators_towards_a_value_size() {
    let mut text = String::from(
        "import { query } from \"./_generated/server\";\nimport { v } from \"convex/values\";\nconst w0 = v.string();\n",
    );
    // 2^14 - 1 nodes: under the bound alone, over it twice.
    for i in 1..=13 {
        text += &format!("const w{i} = v.object({{ a: w{p}, b: w{p} }});\n", p = i - 1);
    }
    text += "export const big = query({ args: w13, handler: async () => null });\nexport const pair = [big, big];\n";
    let analysis = analyze(&project(&[("convex/big.ts", &text)]));
    let too_large: Vec<_> = analysis.diagnostics.iter().filter(|d| d.message.contains("too large to follow")).collect();
    assert_eq!(too_large.len(), 1, "{:?}", analysis.diagnostics);
    assert!(too_large[0].message.contains("`pair`"), "{:?}", too_large[0]);
    assert_eq!(analysis.functions.len(), 1);
}

#[test]
fn large_real_values_are_followed_whole() {
    let fields: String = (0..2000).map(|i| format!("f{i}: v.optional(v.array(v.string())), ")).collect();
    let text = format!(
        "import {{ defineSchema, defineTable }} from \"convex/server\";\nimport {{ v }} from \"convex/values\";\n\
         export default defineSchema({{ t: defineTable({{ {fields} }}) }});\n"
    );
    let analysis = analyze(&project(&[("convex/schema.ts", &text)]));
    assert_eq!(analysis.diagnostics, vec![]);
    let document = &analysis.schema.unwrap().tables[0].document_type;
    assert!(document.describe().contains("f1999?: string[]"));
}

/// esbuild bundles JSON imports, so Convex code may build validators from a JSON file (and
/// libraries such as the AWS SDK import their `package.json`, which was reported as a syntax error).
#[test]
fn values_imported_from_json_files_are_followed() {
    let files = project(&[
        ("convex/statuses.json", "[\"open\", \"done\"]\n"),
        (
            "convex/tasks.ts",
            "import { query } from \"./_generated/server\";\nimport { v } from \"convex/values\";\nimport statuses from \"./statuses.json\";\n\
             export const list = query({ args: { status: v.union(...statuses.map((s) => v.literal(s))) }, handler: async () => null });\n",
        ),
    ]);
    let analysis = analyze(&files);
    assert_eq!(analysis.diagnostics, vec![]);
    let args = analysis.functions[0].args.as_ref().unwrap().describe();
    assert_eq!(args, "{ status: \"open\" | \"done\" }");
}

/// A Hono app's `.route(path, app)` copies the routes of `app`, so apps can double too (they
/// counted as one part, and twenty doublings ran for minutes).
#[test]
fn hono_apps_built_by_doubling_are_cut_off() {
    let mut text = String::from("import { Hono } from \"hono\";\nconst a0 = new Hono().get(\"/\", (c) => c.text(\"\"));\n");
    for i in 1..=20 {
        text += &format!("const a{i} = new Hono().route(\"/a\", a{p}).route(\"/b\", a{p});\n", p = i - 1);
    }
    text += "export const app = a20;\n";
    let analysis = analyze(&project(&[("convex/routes.ts", &text)]));
    assert!(analysis.diagnostics.iter().any(|d| d.message.contains("too large to follow")), "{:?}", analysis.diagnostics);
}

/// Two statements importing from one package: the one that needs the package's source decides,
/// whatever their order (the last one used to, and `vMine` was reported as not read).
#[test]
fn a_second_import_of_a_package_does_not_hide_the_first() {
    let files = project(&[
        ("node_modules/convex-helpers/package.json", "{ \"name\": \"convex-helpers\", \"exports\": { \"./validators\": \"./validators.js\" } }"),
        ("node_modules/convex-helpers/validators.js", "import { v } from \"convex/values\";\nexport const vMine = v.string();\n"),
        (
            "convex/a.ts",
            "import { vMine } from \"convex-helpers/validators\";\nimport { literals } from \"convex-helpers/validators\";\n\
             import { query } from \"./_generated/server\";\n\
             export const f = query({ args: { a: vMine, b: literals(\"x\") }, handler: async () => null });\n",
        ),
    ]);
    let analysis = analyze(&files);
    assert_eq!(analysis.diagnostics, vec![]);
    assert_eq!(analysis.functions[0].args.as_ref().unwrap().describe(), "{ a: string; b: \"x\" }");
}

/// A member whose computed key is not static names nothing looked up, and does not hide the
/// members after it (it used to end the lookup: `listQuery` was "not a function").
#[test]
fn a_computed_class_key_does_not_hide_later_members() {
    let files = project(&[(
        "convex/jobs.ts",
        "import { query } from \"./_generated/server\";\n\
         class Jobs {\n  *[Symbol.iterator]() {}\n  listQuery() { return query({ handler: async () => null }); }\n}\n\
         export const list = new Jobs().listQuery();\n",
    )]);
    let analysis = analyze(&files);
    let paths: Vec<&str> = analysis.functions.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["jobs:list"], "{:?}", analysis.diagnostics);
}
