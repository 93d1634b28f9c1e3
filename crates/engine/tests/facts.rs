//! What the facts walk makes of handler code, one construct each: the cases the app backends'
//! snapshots (`crates/cli/tests/facts.rs`) do not reach.

use convex_lens_engine::facts::{Access, FunctionFacts, IndexUse, KeyPart, Provenance, Read, TableRef, Terminal};
use convex_lens_engine::{analyze, SourceFile};

const SCHEMA: &str = r#"import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
export default defineSchema({
  channels: defineTable({ name: v.string() }),
  messages: defineTable({ channel: v.id("channels"), body: v.string(), n: v.number() })
    .index("by_channel", ["channel"])
    .searchIndex("search_body", { searchField: "body" }),
  settings: defineTable({ key: v.string() }).index("by_key", ["key"]),
});
"#;

fn facts_of(module: &str) -> Vec<FunctionFacts> {
    let header = "import { query, mutation } from \"./_generated/server\";\nimport { v } from \"convex/values\";\n";
    let files = [SourceFile::new("convex/schema.ts", SCHEMA), SourceFile::new("convex/app.ts", format!("{header}{module}"))];
    analyze(&files).facts
}

fn reads_of<'f>(facts: &'f [FunctionFacts], function: &str) -> &'f [Read] {
    &facts.iter().find(|f| f.function == function).unwrap_or_else(|| panic!("no facts for {function}")).reads
}

fn eq_of(read: &Read) -> &[KeyPart] {
    match &read.access {
        Access::Query(query) => match &query.index {
            IndexUse::Index { eq, .. } => eq,
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

/// Constants computed from the handler's own locals use those locals, not a module-level name
/// they shadow (they used to be evaluated again without the locals: a wrong key, a wrong table).
#[test]
fn values_computed_from_locals_use_the_locals() {
    let facts = facts_of(
        "const key = \"module-level\";\nconst t = \"module\";\n\
         class Repo { constructor(table) { this.table = table; } }\n\
         export const f = query({ handler: async (ctx) => {\n\
           const key = \"general\";\n\
           const t = \"messages\";\n\
           const limit = 5;\n\
           const name = \"mess\";\n\
           const repo = new Repo(t);\n\
           await ctx.db.query(\"settings\").withIndex(\"by_key\", (q) => q.eq(\"key\", key + \"-x\")).unique();\n\
           await ctx.db.query(repo.table).take(limit * 2);\n\
           await ctx.db.query(`${name}ages`).first();\n\
         } });\n",
    );
    let reads = reads_of(&facts, "app:f");
    assert_eq!(eq_of(&reads[0])[0].value, Provenance::Const("\"general-x\"".into()));
    assert_eq!(reads[1].table, TableRef::Name("messages".into()));
    let Access::Query(query) = &reads[1].access else { panic!() };
    assert_eq!(query.terminal, Terminal::Take { n: Some(10.0) });
    assert_eq!(reads[2].table, TableRef::Name("messages".into()));
}

/// A range callback is read where it was made: a helper that returns one closes over the
/// helper's parameters, and a block body's locals are its own (both used to be unknown).
#[test]
fn range_callbacks_see_their_own_variables() {
    let facts = facts_of(
        "const byChannel = (channel) => (q) => q.eq(\"channel\", channel);\n\
         export const f = query({ args: { channel: v.id(\"channels\") }, handler: async (ctx, args) => {\n\
           await ctx.db.query(\"messages\").withIndex(\"by_channel\", byChannel(args.channel)).collect();\n\
           await ctx.db.query(\"messages\").withIndex(\"by_channel\", (q) => { const c = args.channel; return q.eq(\"channel\", c); }).collect();\n\
         } });\n",
    );
    let reads = reads_of(&facts, "app:f");
    for read in reads {
        assert_eq!(eq_of(read)[0].value, Provenance::Arg("channel".into()), "{read:?}");
    }
}

/// `Object.assign` and `Object.values` over arguments and documents keep what they hold (they
/// were never reached: `Object` resolved to the evaluator's global).
#[test]
fn object_assign_and_values_keep_their_entries() {
    let facts = facts_of(
        "export const f = mutation({ args: { channel: v.id(\"channels\"), body: v.string() }, handler: async (ctx, args) => {\n\
           await ctx.db.insert(\"messages\", Object.assign({}, args, { n: 1 }));\n\
           const [id] = Object.values({ a: args.channel });\n\
           await ctx.db.get(id);\n\
         } });\n",
    );
    let f = facts.iter().find(|f| f.function == "app:f").unwrap();
    let fields: Vec<&str> = f.writes[0].fields.as_ref().expect("the written fields").iter().map(|k| k.field.as_str()).collect();
    assert_eq!(fields, ["channel", "body", "n"]);
    assert_eq!(f.reads[0].table, TableRef::Name("channels".into()));
}

/// A module-level function called through `.call` is walked like a call of it (only local
/// functions used to be).
#[test]
fn module_functions_called_through_call_are_walked() {
    let facts = facts_of(
        "const readAll = (ctx) => ctx.db.query(\"channels\").collect();\n\
         export const f = query({ handler: async (ctx) => readAll.call(undefined, ctx) });\n",
    );
    let reads = reads_of(&facts, "app:f");
    assert_eq!(reads.len(), 1, "{reads:?}");
    assert_eq!(reads[0].table, TableRef::Name("channels".into()));
}

/// A name that is not static is unknown, not the made-up name `?` (which coverage reported as a
/// missing search index, and conflicts as one shared environment variable).
#[test]
fn names_that_are_not_static_are_unknown() {
    let files = [
        SourceFile::new("convex/schema.ts", SCHEMA),
        SourceFile::new(
            "convex/app.ts",
            "import { query } from \"./_generated/server\";\n\
             export const f = query({ handler: async (ctx, { index, name }) => {\n\
               await ctx.db.query(\"messages\").withSearchIndex(index, (q) => q.search(\"body\", \"x\")).take(5);\n\
               await ctx.db.query(\"settings\").withIndex(\"by_key\", (q) => q.eq(\"key\", process.env[name])).unique();\n\
             } });\n",
        ),
    ];
    let analysis = analyze(&files);
    let reads = reads_of(&analysis.facts, "app:f");
    let Access::Search(search) = &reads[0].access else { panic!("{:?}", reads[0].access) };
    assert_eq!(search.index, None);
    assert_eq!(eq_of(&reads[1])[0].value, Provenance::Unknown);
    assert_eq!(analysis.analyses.coverage.missing, vec![]);
    let statuses: Vec<String> = analysis.analyses.coverage.sites.iter().map(|s| format!("{:?}", s.status)).collect();
    assert!(statuses[0].starts_with("Unknown"), "{statuses:?}");
}

/// An index named by one branch of a chain of conditionals is not known: the join of `"a"`
/// with the unknown rest of the chain used to be `"a"`, a certain read of one index that made
/// the others look unused (OrtoQBank's `questions.by_theme`).
#[test]
fn an_index_chosen_by_nested_conditionals_is_not_one_index() {
    let facts = facts_of(
        r#"export const pick = query({
  args: { channel: v.optional(v.id("channels")), key: v.optional(v.string()) },
  handler: async (ctx, args) => await pickIn(ctx, { ...args, key: args.key }),
});
async function pickIn(ctx: any, args: { channel?: string; key?: string; other?: string }) {
  const config = args.channel
    ? { index: "by_channel" as const, field: "channel", value: args.channel }
    : args.key
      ? { index: "by_key" as const, field: "key", value: args.key }
      : args.other
        ? { index: "by_other" as const, field: "other", value: args.other }
        : null;
  if (!config) return [];
  return await ctx.db.query("messages").withIndex(config.index, (q: any) => q.eq(config.field, config.value)).collect();
}"#,
    );
    let reads = reads_of(&facts, "app:pick");
    assert!(matches!(&reads[0].access, Access::Query(q) if matches!(q.index, IndexUse::Unknown { .. })), "{:?}", reads[0].access);
}
