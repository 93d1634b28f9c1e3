//! convex-helpers' `Triggers`: a write through `triggers.wrapDB(ctx).db` runs the triggers of
//! its table in the same transaction, so their reads and writes are the function's facts, with
//! the trigger in their `via`. The real behaviour is `server/triggers.ts` of convex-helpers
//! 0.1.124: the wrapped writer reads the document around the write, gives each trigger
//! `{ ...ctx, db: <wrapped writer>, innerDb: <plain writer> }`, and writes through `innerDb` run
//! no triggers.

use convex_lens_engine::{analyze, Analysis, SourceFile};

const SCHEMA: &str = r#"import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
export default defineSchema({
  boards: defineTable({ owner: v.string() }),
  nodes: defineTable({ board: v.id("boards") }).index("by_board", ["board"]),
  counts: defineTable({ n: v.number() }),
  audit: defineTable({ what: v.string() }),
});
"#;

/// The triggers of most apps: registered in the module that makes the builders.
const FUNCTIONS: &str = r#"import { customCtx, customMutation } from "convex-helpers/server/customFunctions";
import { Triggers } from "convex-helpers/server/triggers";
import { mutation as rawMutation } from "./_generated/server";
import { DataModel } from "./_generated/dataModel";
import { internal } from "./_generated/api";

const triggers = new Triggers<DataModel>();
export const mutation = customMutation(rawMutation, customCtx(triggers.wrapDB));

triggers.register("boards", async (ctx, change) => {
  if (change.operation === "delete") {
    const nodes = await ctx.db.query("nodes").withIndex("by_board", (q) => q.eq("board", change.id)).collect();
    for (const node of nodes) await ctx.db.delete(node._id);
    await ctx.scheduler.runAfter(0, internal.jobs.cleanup, {});
  }
});
triggers.register("nodes", async (ctx) => {
  const count = await ctx.db.query("counts").first();
  if (count) await ctx.innerDb.patch(count._id, { n: count.n + 1 });
});
triggers.register("counts", async (ctx) => {
  await ctx.db.insert("audit", { what: "count" });
});
"#;

const BOARDS: &str = r#"import { v } from "convex/values";
import { mutation } from "./functions";
import { mutation as plainMutation } from "./_generated/server";
export const remove = mutation({
  args: { id: v.id("boards") },
  handler: async (ctx, { id }) => {
    await ctx.db.delete(id);
  },
});
export const removePlain = plainMutation({
  args: { id: v.id("boards") },
  handler: async (ctx, { id }) => {
    await ctx.db.delete(id);
  },
});
"#;

const JOBS: &str = r#"import { internalMutation } from "./_generated/server";
export const cleanup = internalMutation({ args: {}, handler: async () => {} });
"#;

fn analyze_files(files: &[(&str, &str)]) -> Analysis {
    analyze(&files.iter().map(|(path, text)| SourceFile::new(*path, *text)).collect::<Vec<_>>())
}

fn app(functions: &str) -> Analysis {
    analyze_files(&[("convex/schema.ts", SCHEMA), ("convex/functions.ts", functions), ("convex/boards.ts", BOARDS), ("convex/jobs.ts", JOBS)])
}

/// `table op (line) via...` of each write, and `table access (line) via...` of each read.
fn effects(analysis: &Analysis, function: &str) -> Vec<String> {
    let facts = analysis.facts.iter().find(|f| f.function == function).unwrap_or_else(|| panic!("no facts of {function}"));
    let via = |site: &convex_lens_engine::facts::Site| site.via.iter().map(|v| format!(" via {v}")).collect::<String>();
    let reads = facts.reads.iter().map(|r| {
        let access = match &r.access {
            convex_lens_engine::facts::Access::Get { .. } => "get".to_owned(),
            convex_lens_engine::facts::Access::Query(_) => "query".to_owned(),
            other => format!("{other:?}"),
        };
        format!("read {} {access} ({}){}", r.table.name().unwrap_or("?"), r.site.location.line, via(&r.site))
    });
    let writes = facts.writes.iter().map(|w| format!("write {} {:?} ({}){}", w.table.name().unwrap_or("?"), w.op, w.site.location.line, via(&w.site)));
    let calls = facts.calls.iter().map(|c| format!("call {:?} ({}){}", c.kind, c.site.location.line, via(&c.site)));
    reads.chain(writes).chain(calls).collect()
}

#[test]
fn a_write_runs_its_tables_triggers_and_theirs_in_turn() {
    let analysis = app(FUNCTIONS);
    assert_eq!(
        effects(&analysis, "boards:remove"),
        [
            "read boards get (7) via the triggers of boards (convex-helpers)",
            "read nodes query (12) via trigger on boards (convex/functions.ts:10)",
            "read nodes get (13) via trigger on boards (convex/functions.ts:10) via the triggers of nodes (convex-helpers)",
            "read counts query (18) via trigger on boards (convex/functions.ts:10) via trigger on nodes (convex/functions.ts:17)",
            "write boards Delete (7)",
            "write nodes Delete (13) via trigger on boards (convex/functions.ts:10)",
            // Through `innerDb`: the trigger on `counts` does not run, so nothing writes `audit`.
            "write counts Patch (19) via trigger on boards (convex/functions.ts:10) via trigger on nodes (convex/functions.ts:17)",
            "call RunAfter (14) via trigger on boards (convex/functions.ts:10)",
        ]
    );
}

#[test]
fn a_plain_ctx_db_runs_no_triggers() {
    let analysis = app(FUNCTIONS);
    assert_eq!(effects(&analysis, "boards:removePlain"), ["write boards Delete (13)"]);
}

#[test]
fn triggers_registered_by_a_function_the_module_calls_are_run() {
    // wizard-archive registers them in a function of another module, given the `Triggers`.
    let register = r#"import { Triggers } from "convex-helpers/server/triggers";
export function registerBoardTriggers(triggers: Triggers<any>) {
  triggers.register("boards", async (ctx, change) => {
    await ctx.db.insert("audit", { what: "board" });
  });
}
"#;
    let functions = r#"import { customCtx, customMutation } from "convex-helpers/server/customFunctions";
import { Triggers } from "convex-helpers/server/triggers";
import { mutation as rawMutation } from "./_generated/server";
import { registerBoardTriggers } from "./boardTriggers";
export const triggers = new Triggers();
registerBoardTriggers(triggers);
export const mutation = customMutation(rawMutation, customCtx(triggers.wrapDB));
"#;
    let analysis = analyze_files(&[("convex/schema.ts", SCHEMA), ("convex/functions.ts", functions), ("convex/boardTriggers.ts", register), ("convex/boards.ts", BOARDS), ("convex/jobs.ts", JOBS)]);
    assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
    let writes = effects(&analysis, "boards:remove");
    assert!(writes.contains(&"write audit Insert (4) via trigger on boards (convex/boardTriggers.ts:3)".to_owned()), "{writes:?}");
}

#[test]
fn wrap_db_called_in_a_customization_of_the_source_runs_the_triggers() {
    // madearga/CRM: `db: triggers.wrapDB(ctx).db`; wizard-archive: `{ ...triggers.wrapDB(ctx), user }`.
    for input in ["({ db: triggers.wrapDB(ctx).db })", "({ ...triggers.wrapDB(ctx), user: null })"] {
        let functions = FUNCTIONS.replace("customCtx(triggers.wrapDB)", &format!("customCtx(async (ctx) => {input})"));
        let analysis = app(&functions);
        let writes = effects(&analysis, "boards:remove");
        assert!(writes.contains(&"write nodes Delete (13) via trigger on boards (convex/functions.ts:10)".to_owned()), "{input}: {writes:?}");
    }
}

#[test]
fn a_trigger_convex_lens_cannot_read_is_an_opaque_call_unless_a_component_runs_it() {
    let functions = format!(
        "import {{ TableAggregate }} from \"@convex-dev/aggregate\";\nimport {{ components }} from \"./_generated/api\";\n\
         import {{ syncSearch }} from \"search-sync\";\n{FUNCTIONS}\
         const byBoard = new TableAggregate(components.aggregate, {{ sortKey: (d) => d._creationTime }});\n\
         triggers.register(\"boards\", byBoard.trigger());\ntriggers.register(\"nodes\", syncSearch(\"nodes\"));\n"
    );
    let analysis = app(&functions);
    let facts = analysis.facts.iter().find(|f| f.function == "boards:remove").unwrap();
    // The aggregate's trigger writes only the component's own tables.
    let opaque: Vec<(&str, &[String])> = facts.opaque.iter().map(|o| (o.callee.as_str(), o.tables.as_slice())).collect();
    assert_eq!(opaque, [("a trigger on nodes", &["nodes".to_owned()][..])]);
    assert_eq!(facts.opaque[0].library.as_ref().map(|l| l.package.as_str()), Some("search-sync"));
}
