//! Clients of published components, modelled in `known/` (`known::clients`): what their
//! methods register at module level, and what they do in a handler (a call of the component's
//! function, a check of the caller, an app's function run later). The exact functions and
//! arguments are compared with the real packages by `tests/ground-truth` (the `components-app`,
//! `better-auth` and `better-auth-local` fixtures); these tests hold the facts around them.

use convex_lens_engine::facts::{CallKind, CallTarget, FunctionFacts};
use convex_lens_engine::{analyze, Analysis, SourceFile};

const SCHEMA: &str = r#"import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
export default defineSchema({
  posts: defineTable({ author: v.string(), title: v.optional(v.string()) }).index("by_author", ["author"]),
  profiles: defineTable({ authId: v.string() }).index("by_authId", ["authId"]),
});
"#;

fn analyze_files(files: &[(&str, &str)]) -> Analysis {
    let mut all = vec![SourceFile::new("convex/schema.ts", SCHEMA)];
    all.extend(files.iter().map(|(path, text)| SourceFile::new(*path, *text)));
    analyze(&all)
}

fn facts<'a>(analysis: &'a Analysis, function: &str) -> &'a FunctionFacts {
    analysis.facts.iter().find(|f| f.function == function).unwrap_or_else(|| panic!("no facts of {function}"))
}

fn calls(facts: &FunctionFacts) -> Vec<String> {
    facts
        .calls
        .iter()
        .map(|c| match &c.target {
            CallTarget::Component { component, path } => format!("{:?} {component}:{path}", c.kind),
            CallTarget::Function { path, .. } => format!("{:?} {path}", c.kind),
            CallTarget::Unknown { reason } => format!("{:?} ? {reason}", c.kind),
        })
        .collect()
}

const BETTER_AUTH: &str = r#"import { createClient } from "@convex-dev/better-auth";
import { components } from "./_generated/api";
import { mutation } from "./_generated/server";
export const authComponent = createClient(components.betterAuth, {
  triggers: { user: { onCreate: async (ctx, user) => { await ctx.db.insert("profiles", { authId: user._id }); } } },
});
export const { onCreate, onUpdate, onDelete } = authComponent.triggersApi();
export const write = mutation({
  args: {},
  handler: async (ctx) => {
    const user = await authComponent.getAuthUser(ctx);
    await ctx.db.insert("posts", { author: user._id });
  },
});
"#;

#[test]
fn better_auths_get_auth_user_checks_the_caller_and_keys_by_them() {
    let analysis = analyze_files(&[("convex/auth.ts", BETTER_AUTH)]);
    let write = facts(&analysis, "auth:write");
    assert_eq!(write.auth.len(), 1, "{:?}", write.auth);
    assert_eq!(calls(write), ["RunQuery betterAuth:adapter:findOne"]);
    // The written author is the caller's own id.
    let fields = write.writes[0].fields.as_ref().unwrap();
    assert!(matches!(fields[0].value, convex_lens_engine::facts::Provenance::Auth(_)), "{:?}", fields[0].value);
    assert!(!analysis.findings.iter().any(|f| f.message.contains("auth:write")), "{:?}", analysis.findings);
}

#[test]
fn better_auths_triggers_api_runs_the_apps_triggers() {
    let analysis = analyze_files(&[("convex/auth.ts", BETTER_AUTH)]);
    let writes: Vec<&str> = facts(&analysis, "auth:onCreate").writes.iter().filter_map(|w| w.table.name()).collect();
    assert_eq!(writes, ["profiles"]);
    assert!(facts(&analysis, "auth:onUpdate").writes.is_empty());
}

#[test]
fn a_client_method_convex_lens_does_not_model_is_code_it_cannot_read() {
    let module = BETTER_AUTH.replace("const user = await authComponent.getAuthUser(ctx);", "const { auth } = await authComponent.getAuth(createAuth, ctx);\n    const user = await auth.api.getSession({});");
    let analysis = analyze_files(&[("convex/auth.ts", &format!("const createAuth = (ctx: any) => null;\n{module}"))]);
    let write = facts(&analysis, "auth:write");
    assert!(write.opaque.iter().any(|o| o.library.as_ref().is_some_and(|l| l.name == "createClient.getAuth")), "{:?}", write.opaque);
}

#[test]
fn registered_routes_are_unknown_when_the_project_sets_a_base_path() {
    let http = r#"import { httpRouter } from "convex/server";
import { authComponent } from "./auth";
const createAuth = (ctx: any) => ({ basePath: "/auth" });
const http = httpRouter();
authComponent.registerRoutes(http, createAuth);
export default http;
"#;
    let analysis = analyze_files(&[("convex/auth.ts", BETTER_AUTH), ("convex/http.ts", http)]);
    assert!(analysis.http_routes.is_empty(), "{:?}", analysis.http_routes.iter().map(|r| &r.path).collect::<Vec<_>>());
    assert!(analysis.diagnostics.iter().any(|d| d.message.contains("basePath")), "{:?}", analysis.diagnostics);
}

#[test]
fn a_migration_runs_migrate_one_per_document_and_patches_what_it_returns() {
    let migrations = r#"import { Migrations } from "@convex-dev/migrations";
import { components } from "./_generated/api";
export const migrations = new Migrations(components.migrations);
export const untitled = migrations.define({
  table: "posts",
  migrateOne: async (ctx, post) => {
    const profile = await ctx.db.query("profiles").withIndex("by_authId", (q) => q.eq("authId", post.author)).first();
    if (!post.title) return { title: profile ? "Mine" : "Untitled" };
  },
});
export const run = migrations.runner();
"#;
    let analysis = analyze_files(&[("convex/migrations.ts", migrations)]);
    let untitled = facts(&analysis, "migrations:untitled");
    let reads: Vec<&str> = untitled.reads.iter().filter_map(|r| r.table.name()).collect();
    assert_eq!(reads, ["posts", "profiles"]);
    let profile_read = &untitled.reads[1];
    assert!(profile_read.site.in_loop, "migrateOne runs per document of the page");
    let writes: Vec<(&str, Vec<&str>)> =
        untitled.writes.iter().map(|w| (w.table.name().unwrap(), w.fields.iter().flatten().map(|f| f.field.as_str()).collect())).collect();
    assert_eq!(writes, [("posts", vec!["title"])]);
    assert_eq!(calls(facts(&analysis, "migrations:run")), ["RunQuery migrations:lib:getStatus", "RunMutation migrations:lib:migrate"]);
}

#[test]
fn a_workpool_runs_the_enqueued_function_and_its_on_complete_later() {
    let module = r#"import { Workpool } from "@convex-dev/workpool";
import { components, internal } from "./_generated/api";
import { internalAction, mutation } from "./_generated/server";
import { v } from "convex/values";
const pool = new Workpool(components.pool, { maxParallelism: 1 });
export const start = mutation({
  args: {},
  handler: async (ctx) => {
    await pool.enqueueAction(ctx, internal.jobs.work, {}, { onComplete: internal.jobs.done });
  },
});
export const work = internalAction({ args: {}, handler: async () => {} });
export const done = pool.defineOnComplete({ handler: async () => {} });
"#;
    let analysis = analyze_files(&[("convex/jobs.ts", module)]);
    assert_eq!(calls(facts(&analysis, "jobs:start")), ["RunMutation pool:lib:enqueue", "RunAfter jobs:work", "RunAfter jobs:done"]);
    let done = analysis.functions.iter().find(|f| f.path == "jobs:done").unwrap();
    assert_eq!(
        done.args.as_ref().unwrap().describe(),
        "{ workId: string; context?: any; result: { kind: \"success\"; returnValue?: any } | { kind: \"failed\"; error: string } | { kind: \"canceled\" } }"
    );
    assert_eq!(facts(&analysis, "jobs:start").calls[0].kind, CallKind::RunMutation);
}

#[test]
fn an_agents_tools_and_agents_are_values_not_unknown_functions() {
    let module = r#"import { Agent, createTool, vStreamArgs } from "@convex-dev/agent";
import { components } from "./_generated/api";
import { query } from "./_generated/server";
import { v } from "convex/values";
export const lookup = createTool({ description: "Look a post up", args: v.object({}), handler: async (ctx) => null });
export const helper = new Agent(components.agent, { name: "helper", tools: { lookup } });
export const messages = query({ args: { threadId: v.string(), streamArgs: vStreamArgs }, handler: async () => [] });
"#;
    let analysis = analyze_files(&[("convex/agent.ts", module)]);
    assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
    let functions: Vec<&str> = analysis.functions.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(functions, ["agent:messages"]);
    let messages = &analysis.functions[0];
    assert!(messages.args.as_ref().unwrap().describe().starts_with("{ threadId: string; streamArgs?: { kind: \"list\""), "{}", messages.args.as_ref().unwrap().describe());
}

#[test]
fn a_workflows_steps_run_the_apps_functions_later_each_in_its_own_transaction() {
    let module = r#"import { WorkflowManager } from "@convex-dev/workflow";
import { components, internal } from "./_generated/api";
import { internalQuery } from "./_generated/server";
import { v } from "convex/values";
const workflow = new WorkflowManager(components.workflow);
export const flow = workflow.define({
  args: { post: v.id("posts") },
  handler: async (step, { post }) => {
    if (await step.runQuery(internal.flows.check, { post })) await step.runAction(internal.flows.gone, {});
  },
});
export const check = internalQuery({ args: { post: v.id("posts") }, handler: async (ctx, { post }) => (await ctx.db.get(post)) !== null });
"#;
    let analysis = analyze_files(&[("convex/flows.ts", module)]);
    assert_eq!(calls(facts(&analysis, "flows:flow")), ["Step flows:check", "Step flows:gone"]);
    // A step may run a query, which a scheduled call cannot; a missing function still fails.
    let problems: Vec<&str> = analysis.analyses.call_graph.edges.iter().filter_map(|e| e.problem.as_deref()).collect();
    assert_eq!(problems, ["no function `flows:gone` is registered: `flows` exports no `gone`"]);
}

#[test]
fn polars_api_asks_the_app_who_the_user_is_and_its_webhook_is_a_route() {
    let billing = r#"import { Polar } from "@convex-dev/polar";
import { components, internal } from "./_generated/api";
import { internalQuery } from "./_generated/server";
export const polar = new Polar(components.polar, {
  getUserInfo: async (ctx) => await ctx.runQuery(internal.billing.me),
});
export const { generateCheckoutLink, listAllProducts } = polar.api();
export const me = internalQuery({ args: {}, handler: async (ctx) => ({ userId: "u", email: "e" }) });
"#;
    let http = r#"import { httpRouter } from "convex/server";
import { polar } from "./billing";
const http = httpRouter();
polar.registerRoutes(http, {});
export default http;
"#;
    let analysis = analyze_files(&[("convex/billing.ts", billing), ("convex/http.ts", http)]);
    assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
    assert_eq!(calls(facts(&analysis, "billing:generateCheckoutLink")), ["RunQuery billing:me"]);
    assert!(facts(&analysis, "billing:listAllProducts").calls.is_empty());
    let routes: Vec<String> = analysis.http_routes.iter().map(|r| format!("{} {}", r.method, r.path)).collect();
    assert_eq!(routes, ["POST /polar/events"]);
}

#[test]
fn clients_that_only_call_their_component_name_the_function_they_call() {
    let module = r#"import { ActionCache } from "@convex-dev/action-cache";
import { Resend } from "@convex-dev/resend";
import { ShardedCounter } from "@convex-dev/sharded-counter";
import { components, internal } from "./_generated/api";
import { action, internalAction, mutation } from "./_generated/server";
import { v } from "convex/values";
export const resend = new Resend(components.resend, {});
const counter = new ShardedCounter(components.shardedCounter);
const cache = new ActionCache(components.actionCache, { action: internal.mail.embed });
export const send = mutation({ args: {}, handler: async (ctx) => {
  await counter.inc(ctx, "sent");
  await resend.sendEmail(ctx, { from: "a@b.c", to: "d@e.f", subject: "hi", html: "" });
} });
export const lookup = action({ args: { text: v.string() }, handler: async (ctx, { text }) => await cache.fetch(ctx, { text }) });
export const embed = internalAction({ args: { text: v.string() }, handler: async () => [] });
"#;
    let analysis = analyze_files(&[("convex/mail.ts", module)]);
    assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
    assert_eq!(calls(facts(&analysis, "mail:send")), ["RunMutation shardedCounter:public:add", "RunMutation resend:lib:sendEmail"]);
    assert_eq!(calls(facts(&analysis, "mail:lookup")), ["RunMutation actionCache:lib:put", "RunAction mail:embed"]);
}

#[test]
fn r2s_client_api_runs_the_apps_checks_and_hooks() {
    let module = r#"import { R2 } from "@convex-dev/r2";
import { components } from "./_generated/api";
export const r2 = new R2(components.r2);
export const { generateUploadUrl, syncMetadata, getMetadata } = r2.clientApi({
  checkUpload: async (ctx) => { if (!(await ctx.auth.getUserIdentity())) throw new Error("no"); },
  onUpload: async (ctx, bucket, key) => { await ctx.db.insert("profiles", { authId: key }); },
});
"#;
    let analysis = analyze_files(&[("convex/files.ts", module)]);
    assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
    let sync = facts(&analysis, "files:syncMetadata");
    assert!(!sync.auth.is_empty(), "checkUpload reads the caller");
    assert_eq!(sync.writes.iter().filter_map(|w| w.table.name()).collect::<Vec<_>>(), ["profiles"]);
    assert_eq!(calls(facts(&analysis, "files:getMetadata")), ["RunQuery r2:lib:getMetadata"]);
}
