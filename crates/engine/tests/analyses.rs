//! The analyses over the facts on small projects, one outcome each: the cases the app backends'
//! snapshots (`crates/cli/tests/facts.rs`) do not reach.

use convex_lens_engine::analyses::calls::EdgeKind;
use convex_lens_engine::analyses::conflicts::Likelihood;
use convex_lens_engine::analyses::costs::CostRisk;
use convex_lens_engine::analyses::coverage::{SiteStatus, SuggestedAction};
use convex_lens_engine::{analyze, Analysis, SourceFile};

const SCHEMA: &str = r#"import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
export default defineSchema({
  channels: defineTable({ name: v.string() }),
  messages: defineTable({ channel: v.id("channels"), author: v.string() })
    .index("by_channel", ["channel"])
    .index("by_author", { fields: ["author"], staged: true }),
  counters: defineTable({ name: v.string(), value: v.number() }).index("by_name", ["name"]),
  memberships: defineTable({ channel: v.id("channels") }).index("by_channel", ["channel"]),
});
"#;

fn analyze_module(module: &str) -> Analysis {
    let header = "import { query, mutation, internalMutation, httpAction } from \"./_generated/server\";\nimport { v } from \"convex/values\";\n";
    let files = [SourceFile::new("convex/schema.ts", SCHEMA), SourceFile::new("convex/app.ts", format!("{header}{module}"))];
    analyze(&files)
}

/// A read per document of a whole table is repeated without bound; a loop capped by `take(10)`
/// over reads of one parent's range (a channel's messages) is bounded by design: the cap, and
/// the parent's fan-out (it used to be called unbounded and per element).
#[test]
fn reads_per_document_of_a_whole_table_are_a_risk_and_capped_loops_over_one_parent_are_not() {
    let analysis = analyze_module(
        "export const capped = query({ handler: async (ctx) => {\n\
           const channels = await ctx.db.query(\"channels\").take(10);\n\
           return Promise.all(channels.map((c) => ctx.db.query(\"messages\").withIndex(\"by_channel\", (q) => q.eq(\"channel\", c._id)).collect()));\n\
         } });\n\
         export const all = query({ handler: async (ctx) => {\n\
           const channels = await ctx.db.query(\"channels\").collect();\n\
           return Promise.all(channels.map((c) => ctx.db.query(\"messages\").withIndex(\"by_channel\", (q) => q.eq(\"channel\", c._id)).first()));\n\
         } });\n",
    );
    let risks = |function: &str| -> Vec<&str> {
        let cost = analysis.analyses.costs.iter().find(|c| c.function == function).unwrap();
        cost.risks
            .iter()
            .map(|r| match r {
                CostRisk::PerElement { .. } => "per element",
                CostRisk::Unbounded { table_wide: false, .. } => "unbounded in range",
                CostRisk::Unbounded { .. } => "unbounded",
                CostRisk::FilteredLimit { .. } => "filtered limit",
            })
            .collect()
    };
    assert_eq!(risks("app:capped"), Vec::<&str>::new());
    assert_eq!(risks("app:all"), ["unbounded", "per element"]);
}

/// An index that exists only as staged is something to enable, not to add: it is not listed as
/// missing (it used to be, beside the advice to enable it).
#[test]
fn a_staged_index_that_would_serve_a_read_is_to_enable_not_missing() {
    let analysis = analyze_module(
        "export const byAuthor = query({ args: { author: v.string() }, handler: async (ctx, args) =>\n\
           ctx.db.query(\"messages\").filter((q) => q.eq(q.field(\"author\"), args.author)).take(10) });\n",
    );
    let coverage = &analysis.analyses.coverage;
    let site = coverage.sites.iter().find(|s| s.functions == ["app:byAuthor"]).unwrap();
    let SiteStatus::FullScan { suggestion: Some(suggestion), .. } = &site.status else { panic!("{:?}", site.status) };
    assert_eq!((suggestion.name.as_str(), suggestion.action), ("by_author", SuggestedAction::EnableStaged));
    assert_eq!(coverage.missing, vec![]);
}

/// A rewritten query names values as the code at the read does: a destructured argument, a
/// document a helper returned (it used to say `args.channel` and `membershipsDoc._creationTime`,
/// names that are not in scope there).
#[test]
fn a_rewritten_query_uses_the_values_as_written_at_the_read() {
    let analysis = analyze_module(
        "async function membership(ctx, channel) { return await ctx.db.query(\"memberships\").withIndex(\"by_channel\", (q) => q.eq(\"channel\", channel)).first(); }\n\
         export const unread = query({ args: { channel: v.id(\"channels\") }, handler: async (ctx, { channel }) => {\n\
           const member = await membership(ctx, channel);\n\
           return await ctx.db.query(\"messages\").withIndex(\"by_channel\", (q) => q.eq(\"channel\", channel))\n\
             .filter((q) => q.gt(q.field(\"_creationTime\"), member._creationTime)).collect();\n\
         } });\n",
    );
    let site = analysis.analyses.coverage.sites.iter().find(|s| s.functions == ["app:unread"] && s.table.name() == Some("messages")).unwrap();
    let SiteStatus::PartiallyIndexed { suggestion: Some(suggestion), .. } = &site.status else { panic!("{:?}", site.status) };
    assert_eq!(suggestion.query, ".withIndex(\"by_channel\", (q) => q.eq(\"channel\", channel).gt(\"_creationTime\", member._creationTime))");
}

/// A range keyed only by constants is the same for every call, so every write into it conflicts
/// (it used to count as keyed, conflicting only when keys match).
#[test]
fn a_read_keyed_by_constants_always_conflicts_with_writes_of_its_table() {
    let analysis = analyze_module(
        "export const bump = mutation({ handler: async (ctx) => {\n\
           const counter = await ctx.db.query(\"counters\").withIndex(\"by_name\", (q) => q.eq(\"name\", \"global\")).unique();\n\
           if (counter) await ctx.db.patch(counter._id, { value: counter.value + 1 });\n\
         } });\n\
         export const add = mutation({ args: { name: v.string() }, handler: async (ctx, { name }) => {\n\
           await ctx.db.insert(\"counters\", { name, value: 0 });\n\
         } });\n",
    );
    let pair = analysis.analyses.conflicts.pairs.iter().find(|p| p.reader == "app:bump" && p.writer == "app:add").unwrap();
    assert_eq!(pair.likelihood, Likelihood::Always, "{pair:?}");
    assert!(pair.reason.contains("keyed by constants"), "{}", pair.reason);
}

/// A cron job runs a mutation or an action: one that names an HTTP action (or a query) is wrong
/// (only a query used to be caught).
#[test]
fn a_cron_job_naming_what_it_cannot_run_is_a_problem() {
    let module = "export const hook = httpAction(async () => new Response());\n\
                  export const tick = internalMutation({ handler: async () => {} });\n";
    let crons = "import { cronJobs } from \"convex/server\";\nimport { internal, api } from \"./_generated/api\";\n\
                 const crons = cronJobs();\n\
                 crons.interval(\"tick\", { minutes: 1 }, internal.app.tick);\n\
                 crons.interval(\"hook\", { minutes: 1 }, api.app.hook);\n\
                 export default crons;\n";
    let header = "import { httpAction, internalMutation } from \"./_generated/server\";\n";
    let files = [
        SourceFile::new("convex/schema.ts", SCHEMA),
        SourceFile::new("convex/app.ts", format!("{header}{module}")),
        SourceFile::new("convex/crons.ts", crons),
    ];
    let analysis = analyze(&files);
    let problems: Vec<(&str, Option<&str>)> = analysis
        .analyses
        .call_graph
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Cron)
        .map(|e| (e.from.as_str(), e.problem.as_deref()))
        .collect();
    assert_eq!(problems, [("cron hook", Some("`app:hook` is an HTTP action, which a cron job cannot run")), ("cron tick", None)]);
}

/// "At most one run of each cron job can be executing at any moment": a mutation only one cron
/// job runs never conflicts with itself (it used to, on its own whole-table read), but one that
/// is also scheduled from elsewhere does, as do two cron jobs running one function.
#[test]
fn a_mutation_only_one_cron_job_runs_does_not_conflict_with_itself() {
    let module = "export const purge = internalMutation({ handler: async (ctx) => {\n\
                    for (const c of await ctx.db.query(\"channels\").collect()) await ctx.db.delete(c._id);\n\
                  } });\n\
                  export const sweep = internalMutation({ handler: async (ctx) => {\n\
                    for (const c of await ctx.db.query(\"channels\").collect()) await ctx.db.delete(c._id);\n\
                  } });\n\
                  export const twice = internalMutation({ handler: async (ctx) => {\n\
                    for (const c of await ctx.db.query(\"channels\").collect()) await ctx.db.delete(c._id);\n\
                  } });\n\
                  export const later = mutation({ handler: async (ctx) => { await ctx.scheduler.runAfter(0, internal.app.sweep, {}); } });\n";
    let crons = "import { cronJobs } from \"convex/server\";\nimport { internal } from \"./_generated/api\";\n\
                 const crons = cronJobs();\n\
                 crons.interval(\"purge\", { minutes: 1 }, internal.app.purge);\n\
                 crons.interval(\"sweep\", { minutes: 1 }, internal.app.sweep);\n\
                 crons.interval(\"twice a\", { minutes: 1 }, internal.app.twice);\n\
                 crons.interval(\"twice b\", { minutes: 1 }, internal.app.twice);\n";
    let header = "import { internalMutation, mutation } from \"./_generated/server\";\nimport { internal } from \"./_generated/api\";\n";
    let with_itself = |more_crons: &str| {
        let files = [
            SourceFile::new("convex/schema.ts", SCHEMA),
            SourceFile::new("convex/app.ts", format!("{header}{module}")),
            SourceFile::new("convex/crons.ts", format!("{crons}{more_crons}export default crons;\n")),
        ];
        let analysis = analyze(&files);
        analysis.analyses.conflicts.pairs.iter().filter(|p| p.reader == p.writer).map(|p| p.reader.clone()).collect::<Vec<_>>()
    };
    assert_eq!(with_itself(""), ["app:sweep", "app:twice"]);
    // A cron job whose target is not known may run `purge` too.
    assert_eq!(with_itself("crons.interval(\"other\", { minutes: 1 }, internal.app[process.env.JOB]);\n"), ["app:purge", "app:sweep", "app:twice"]);
}

/// A public function or route that writes with no check of the caller's identity on the call
/// path is told apart from one whose path checks it (in itself, a helper or a function it runs).
#[test]
fn writes_reached_without_an_identity_check_are_listed_per_entry_point() {
    let analysis = analyze_module(
        "import { internal } from \"./_generated/api\";\n\
         async function requireUser(ctx) { const user = await ctx.auth.getUserIdentity(); if (!user) throw new Error(\"no\"); return user; }\n\
         export const open = mutation({ handler: async (ctx) => { await ctx.db.insert(\"channels\", { name: \"a\" }); } });\n\
         export const guarded = mutation({ handler: async (ctx) => { await requireUser(ctx); await ctx.db.insert(\"channels\", { name: \"a\" }); } });\n\
         export const post = internalMutation({ handler: async (ctx) => { await ctx.db.insert(\"messages\", { channel: \"c\", author: \"x\" }); } });\n\
         export const checkedPost = internalMutation({ handler: async (ctx) => { await requireUser(ctx); await ctx.db.insert(\"counters\", { name: \"n\", value: 1 }); } });\n\
         export const relay = mutation({ handler: async (ctx) => { await ctx.runMutation(internal.app.post, {}); await ctx.runMutation(internal.app.checkedPost, {}); } });\n",
    );
    let reach = |from: &str| analysis.analyses.call_graph.reach.iter().find(|r| r.from == from).unwrap_or_else(|| panic!("{from} writes"));
    let unchecked = |from: &str| reach(from).unauthenticated.iter().map(|w| (w.table.clone(), w.through.join(" → "))).collect::<Vec<_>>();
    assert_eq!(unchecked("app:open"), [("channels".to_owned(), "app:open".to_owned())]);
    assert!(unchecked("app:guarded").is_empty());
    // Through what it runs: the unchecked write is listed, the checked one is not.
    assert_eq!(unchecked("app:relay"), [("messages".to_owned(), "app:relay → app:post".to_owned())]);
    let written: Vec<&str> = reach("app:relay").writes.iter().map(|w| w.table.as_str()).collect();
    assert_eq!(written, ["counters", "messages"]);
}

/// A helper that reads a table it is given through an index it is given, reached from two
/// functions with other indexes: each index named may be read (the second caller's read was
/// merged into the first's site, so its index looked unused: OrtoQBank's `canSafelyDelete`).
#[test]
fn one_helper_reading_other_indexes_for_each_caller_leaves_each_unverified() {
    let analysis = analyze_module(
        r#"async function inUse(ctx: any, table: string, index: string, id: string) {
  return (await ctx.db.query(table as any).withIndex(index, (q: any) => q.eq("channel", id)).first()) !== null;
}
export const removeChannel = mutation({
  args: { id: v.id("channels") },
  handler: async (ctx, { id }) => {
    for (const dependency of [{ table: "messages", index: "by_channel" }, { table: "memberships", index: "by_channel" }]) {
      if (await inUse(ctx, dependency.table, dependency.index, id)) throw new Error("in use");
    }
    await ctx.db.delete(id);
  },
});
export const removeCounter = mutation({
  args: { id: v.id("counters") },
  handler: async (ctx, { id }) => {
    for (const dependency of [{ table: "counters", index: "by_name" }, { table: "channels", index: "by_name" }]) {
      if (await inUse(ctx, dependency.table, dependency.index, id)) throw new Error("in use");
    }
    await ctx.db.insert("counters", { name: "x", value: 1 });
  },
});"#,
    );
    let by_name = analysis.analyses.coverage.indexes.iter().find(|u| u.table == "counters" && u.index == "by_name").unwrap();
    assert!(matches!(by_name.status, convex_lens_engine::analyses::coverage::IndexStatus::Unused { unresolved: 1.. }), "{:?}", by_name.status);
}
