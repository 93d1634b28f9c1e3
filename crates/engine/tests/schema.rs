//! The data model extracted from whole schema files, checked as snapshots of the engine's JSON.

use convex_lens_engine::{analyze, Analysis, DiagnosticCode, SourceFile};

fn analyze_schema(text: &str) -> Analysis {
    analyze(&[SourceFile::new("convex/schema.ts", text)])
}

#[test]
fn the_playground_example_is_modelled_completely() {
    let text = include_str!("../../../www/examples/chat/convex/schema.ts");
    let analysis = analyze_schema(text);
    assert_eq!(analysis.diagnostics, vec![]);
    insta::assert_json_snapshot!(analysis);
}

#[test]
fn validators_of_every_kind_and_methods_are_exported_like_convex() {
    let analysis = analyze_schema(
        r#"
        import { defineSchema, defineTable } from "convex/server";
        import * as values from "convex/values";
        const v = values.v;
        const profile = v.object({ name: v.string(), bio: v.optional(v.string()), age: v.number() });
        const KIND = "kind";
        export default defineSchema({
          everything: defineTable({
            a: v.null(), b: v.float64(), c: v.int64(), d: v.bigint(), e: v.commitTs(),
            f: v.boolean(), g: v.bytes(), h: v.any(), i: v.literal(10n), j: v.literal(-1.5),
            k: v.literal(true), l: v.record(v.string(), v.id("users")), m: v.string().optional(),
            [`${KIND}_tag`]: v.literal(`k-${1}`),
          }),
          profiles: defineTable(profile.omit("bio").extend({ owner: v.id("users") }).partial()),
          picked: defineTable(profile.pick("name")),
          shapes: defineTable(v.union(
            v.object({ kind: v.literal("circle"), r: v.number() }),
            v.object({ kind: v.literal("square"), side: v.number() }),
          )).index("by_kind", ["kind"]),
          migrating: defineTable({ apple: v.string(), legacy: v.optional(v.string()) })
            .staged({ apple: v.union(v.string(), v.number()), legacy: undefined }),
        }, { schemaValidation: false });
        "#,
    );
    assert_eq!(analysis.diagnostics, vec![]);
    insta::assert_json_snapshot!(analysis.schema);
}

#[test]
fn function_handles_keep_their_signature_and_read_its_parts() {
    // v.function (convex 1.49): `args` as fields or a validator, both as `v.object`; the
    // signature's parts are readable (`.fnType`, `.args`), as on the real validator.
    let analysis = analyze_schema(
        r#"
        import { defineSchema, defineTable } from "convex/server";
        import { v } from "convex/values";
        const done = v.function({ fnType: "mutation", args: { id: v.id("jobs") }, returns: v.null() });
        export default defineSchema({
          jobs: defineTable({
            onDone: done,
            onFail: v.optional(v.function({ args: v.object({ reason: v.string() }) })),
            any: v.function(),
            kind: v.literal(done.fnType),
            input: done.args,
          }),
        });
        "#,
    );
    assert_eq!(analysis.diagnostics, vec![]);
    let fields = serde_json::to_value(&analysis.schema).unwrap()["tables"][0]["documentType"]["value"].clone();
    let mutation_args = serde_json::json!({ "type": "object", "value": { "id": { "fieldType": { "type": "id", "tableName": "jobs" }, "optional": false } } });
    assert_eq!(fields["onDone"]["fieldType"], serde_json::json!({ "type": "function", "fnType": "mutation", "args": mutation_args, "returns": { "type": "null" } }));
    assert_eq!(fields["onFail"]["fieldType"]["args"]["value"]["reason"]["fieldType"]["type"], "string");
    assert_eq!(fields["onFail"]["optional"], true);
    assert_eq!(fields["any"]["fieldType"], serde_json::json!({ "type": "function" }));
    assert_eq!(fields["kind"]["fieldType"], serde_json::json!({ "type": "literal", "value": "mutation" }));
    assert_eq!(fields["input"]["fieldType"], mutation_args);
}

#[test]
fn a_syntax_error_is_a_diagnostic_with_line_and_column() {
    let analysis = analyze_schema("import { v } from \"convex/values\";\nexport default defineSchema({\n  users: defineTable({ name: v.string( }),\n});\n");
    assert_eq!(analysis.schema, None);
    let first = &analysis.diagnostics[0];
    assert_eq!(first.code, DiagnosticCode::SyntaxError);
    assert_eq!((first.location.file.as_str(), first.location.line), ("convex/schema.ts", 3));
}

#[test]
fn a_schema_without_default_export_says_so() {
    let analysis = analyze_schema("export const x = 1;\n");
    assert_eq!(analysis.diagnostics[0].code, DiagnosticCode::SchemaNotFound);
}

#[test]
fn values_from_unfollowed_imports_are_explicit_unknowns_and_the_rest_is_kept() {
    let analysis = analyze_schema(
        r#"
        import { defineSchema, defineTable } from "convex/server";
        import { v } from "convex/values";
        import { addressFields } from "./fields";
        import { authTables } from "@convex-dev/auth/server";
        export default defineSchema({
          users: defineTable({ name: v.string(), address: addressFields }).index("by_name", ["name"]),
          orders: defineTable(computeOrderShape()),
        });
        "#,
    );
    let schema = analysis.schema.as_ref().expect("the schema is still extracted");
    assert_eq!(schema.tables.len(), 1);
    assert_eq!(schema.tables[0].indexes[0].index_descriptor, "by_name");
    insta::assert_json_snapshot!(analysis.diagnostics);
}

#[test]
fn binary_files_are_skipped_with_a_diagnostic() {
    let files = [
        SourceFile::new("convex/logo.ts", "\u{89}PNG\r\n\u{1a}\n\0\0\0\rIHDR"),
        SourceFile::new("convex/schema.ts", "import { defineSchema } from \"convex/server\";\nexport default defineSchema({});\n"),
    ];
    let analysis = analyze(&files);
    assert_eq!(analysis.diagnostics.len(), 1);
    assert_eq!(analysis.diagnostics[0].code, DiagnosticCode::NotText);
    assert_eq!(analysis.schema.map(|s| s.tables.len()), Some(0));
}

#[test]
fn self_referencing_bindings_do_not_loop() {
    let analysis = analyze_schema(
        "import { defineSchema, defineTable } from \"convex/server\";\nconst a = b;\nconst b = a;\nexport default defineSchema({ t: defineTable(a) });\n",
    );
    assert!(analysis.diagnostics.iter().any(|d| d.message.contains("still being defined")));
}
