//! Libraries real apps stand on, modelled without their source (`known/`): what they register,
//! the identity checks they make and the code of theirs that the facts cannot walk. The exact
//! JSON of what they register is compared with the real packages by `tests/ground-truth` (the
//! `convex-auth` fixture); these tests hold the behaviour around it.

use convex_lens_engine::{analyze, Analysis, DiagnosticCode, SourceFile};

fn analyze_files(files: &[(&str, &str)]) -> Analysis {
    analyze(&files.iter().map(|(path, text)| SourceFile::new(*path, *text)).collect::<Vec<_>>())
}

/// An app on Convex Auth whose `convexAuth` gets `providers`, with `auth.addHttpRoutes(http)`.
fn convex_auth_app(imports: &str, providers: &str) -> Analysis {
    let auth = format!(
        "{imports}\nimport {{ convexAuth }} from \"@convex-dev/auth/server\";\n\
         export const {{ auth, signIn, signOut, store, isAuthenticated }} = convexAuth({{ providers: {providers} }});\n"
    );
    analyze_files(&[
        ("convex/auth.ts", &auth),
        ("convex/http.ts", "import { httpRouter } from \"convex/server\";\nimport { auth } from \"./auth\";\nconst http = httpRouter();\nauth.addHttpRoutes(http);\nexport default http;\n"),
    ])
}

fn routes(analysis: &Analysis) -> Vec<String> {
    analysis.http_routes.iter().map(|r| format!("{} {}", r.method, r.path)).collect()
}

#[test]
fn convex_auth_registers_its_four_functions_as_the_package_does() {
    let analysis = convex_auth_app("import GitHub from \"@auth/core/providers/github\";", "[GitHub]");
    let functions: Vec<String> = analysis
        .functions
        .iter()
        .map(|f| format!("{} {:?} {:?}", f.path, f.kind, f.visibility))
        .collect();
    assert_eq!(
        functions,
        [
            "auth:isAuthenticated Query Some(Public)",
            "auth:signIn Action Some(Public)",
            "auth:signOut Action Some(Public)",
            "auth:store Mutation Some(Internal)",
        ]
    );
    // `auth` is the library's helper object, not a function nor an unknown export.
    assert!(!analysis.diagnostics.iter().any(|d| d.message.contains("export `auth`")), "{:?}", analysis.diagnostics);
    let sign_in = analysis.functions.iter().find(|f| f.path == "auth:signIn").unwrap();
    assert_eq!(sign_in.args.as_ref().unwrap().describe(), "{ provider?: string; params?: any; verifier?: string; refreshToken?: string; calledBy?: string }");
}

#[test]
fn the_library_code_of_its_functions_and_routes_is_an_opaque_call_on_its_tables() {
    let analysis = convex_auth_app("import GitHub from \"@auth/core/providers/github\";", "[GitHub]");
    for facts in &analysis.facts {
        let opaque = facts.opaque.iter().find(|o| o.callee == "convexAuth");
        let opaque = opaque.unwrap_or_else(|| panic!("{} has no opaque call: {:?}", facts.function, facts.opaque));
        assert_eq!(opaque.library.as_ref().map(|l| l.package.as_str()), Some("@convex-dev/auth/server"));
        assert!(opaque.tables.iter().any(|t| t == "authSessions"), "{:?}", opaque.tables);
    }
    // Four functions and five routes.
    assert_eq!(analysis.facts.len(), 9);
}

#[test]
fn an_oauth_provider_adds_the_sign_in_and_callback_routes() {
    let expected = [
        "GET /.well-known/jwks.json",
        "GET /.well-known/openid-configuration",
        "GET /api/auth/callback/*",
        "GET /api/auth/signin/*",
        "POST /api/auth/callback/*",
    ];
    // Imported from Auth.js, called with options, or a literal that says its type.
    let github = "import GitHub from \"@auth/core/providers/github\";";
    assert_eq!(routes(&convex_auth_app(github, "[GitHub]")), expected);
    assert_eq!(routes(&convex_auth_app(github, "[GitHub({ allowDangerousEmailAccountLinking: true })]")), expected);
    assert_eq!(routes(&convex_auth_app("", "[{ id: \"corp\", type: \"oidc\", issuer: \"https://id.example.com\" }]")), expected);
}

#[test]
fn without_oauth_only_the_issuer_routes_are_added() {
    let analysis = convex_auth_app("", "[{ id: \"secret\", type: \"credentials\", authorize: async () => null }]");
    assert_eq!(routes(&analysis), ["GET /.well-known/jwks.json", "GET /.well-known/openid-configuration"]);
}

#[test]
fn providers_it_cannot_classify_leave_the_routes_unknown_not_wrong() {
    // A list convex-lens does not follow past its first value (a provider it does not read):
    // which routes are added is unknown, and said so.
    let analysis = convex_auth_app("import { Password } from \"@convex-dev/auth/providers/Password\";", "[Password]");
    assert!(analysis.http_routes.is_empty());
    let unknown = analysis.diagnostics.iter().find(|d| d.code == DiagnosticCode::Unknown && d.message.contains("addHttpRoutes"));
    assert!(unknown.is_some(), "{:?}", analysis.diagnostics);
}

#[test]
fn auth_get_user_id_is_the_identity_check_get_auth_user_id_is() {
    let analysis = analyze_files(&[
        (
            "convex/auth.ts",
            "import { convexAuth } from \"@convex-dev/auth/server\";\nexport const { auth, signIn, signOut, store } = convexAuth({ providers: [] });\n",
        ),
        (
            "convex/notes.ts",
            "import { mutation } from \"./_generated/server\";\nimport { auth } from \"./auth\";\n\
             export const add = mutation({ args: {}, handler: async (ctx) => {\n  const userId = await auth.getUserId(ctx);\n  if (userId === null) throw new Error(\"no\");\n  await ctx.db.insert(\"notes\", { userId });\n} });\n",
        ),
    ]);
    let add = analysis.facts.iter().find(|f| f.function == "notes:add").unwrap();
    assert!(!add.auth.is_empty(), "{add:?}");
}

const CRUD_SCHEMA: &str = "import { defineSchema, defineTable } from \"convex/server\";\nimport { v } from \"convex/values\";\n\
    export default defineSchema({ posts: defineTable({ title: v.string() }) });\n";

#[test]
fn crud_registers_five_internal_functions_over_its_table_by_default() {
    let analysis = analyze_files(&[
        ("convex/schema.ts", CRUD_SCHEMA),
        ("convex/posts.ts", "import { crud } from \"convex-helpers/server/crud\";\nimport schema from \"./schema\";\nexport const { create, read, paginate, update, destroy } = crud(schema, \"posts\");\n"),
    ]);
    assert_eq!(analysis.diagnostics, vec![]);
    let functions: Vec<String> = analysis.functions.iter().map(|f| format!("{} {:?} {:?}", f.path, f.kind, f.visibility)).collect();
    assert_eq!(
        functions,
        [
            "posts:create Mutation Some(Internal)",
            "posts:destroy Mutation Some(Internal)",
            "posts:paginate Query Some(Internal)",
            "posts:read Query Some(Internal)",
            "posts:update Mutation Some(Internal)",
        ]
    );
    let args = |path: &str| analysis.functions.iter().find(|f| f.path == path).unwrap().args.as_ref().unwrap().describe();
    assert_eq!(args("posts:create"), "{ title: string; _id?: Id<\"posts\">; _creationTime?: number }");
    assert_eq!(args("posts:update"), "{ id: Id<\"posts\">; patch: { title?: string; _id?: Id<\"posts\">; _creationTime?: number } }");
    // Each handler is a line or two of the package's code: the facts state its reads and writes.
    let effects = |path: &str| {
        let facts = analysis.facts.iter().find(|f| f.function == path).unwrap();
        assert!(facts.opaque.is_empty(), "{:?}", facts.opaque);
        let reads = facts.reads.iter().map(|r| format!("read {} {}", r.table.name().unwrap(), serde_json::to_value(&r.access).unwrap()["type"]));
        let writes = facts.writes.iter().map(|w| format!("write {} {:?} {:?}", w.table.name().unwrap(), w.op, w.id));
        reads.chain(writes).collect::<Vec<_>>()
    };
    assert_eq!(effects("posts:create"), ["write posts Insert None"]);
    assert_eq!(effects("posts:read"), ["read posts \"get\""]);
    assert_eq!(effects("posts:paginate"), ["read posts \"query\""]);
    assert_eq!(effects("posts:update"), ["write posts Patch Some(Arg(\"id\"))"]);
    assert_eq!(effects("posts:destroy"), ["read posts \"get\"", "write posts Delete Some(Arg(\"id\"))"]);
}

#[test]
fn crud_with_a_custom_builder_merges_its_customization_arguments() {
    let analysis = analyze_files(&[
        ("convex/schema.ts", CRUD_SCHEMA),
        (
            "convex/posts.ts",
            "import { crud } from \"convex-helpers/server/crud\";\nimport { customQuery } from \"convex-helpers/server/customFunctions\";\n\
             import { v } from \"convex/values\";\nimport { query } from \"./_generated/server\";\nimport schema from \"./schema\";\n\
             const withKey = customQuery(query, { args: { key: v.string() }, input: async () => ({ ctx: {}, args: {} }) });\n\
             export const { read } = crud(schema, \"posts\", withKey);\n",
        ),
    ]);
    let read = analysis.functions.iter().find(|f| f.path == "posts:read").unwrap();
    assert_eq!(format!("{:?}", read.visibility), "Some(Public)");
    assert_eq!(read.args.as_ref().unwrap().describe(), "{ id: Id<\"posts\">; key: string }");
}

#[test]
fn crud_of_a_table_the_schema_lacks_is_an_unknown_with_the_reason() {
    let analysis = analyze_files(&[
        ("convex/schema.ts", CRUD_SCHEMA),
        ("convex/users.ts", "import { crud } from \"convex-helpers/server/crud\";\nimport schema from \"./schema\";\nexport const { read } = crud(schema, \"users\");\n"),
    ]);
    assert!(analysis.functions.is_empty());
    let unknown = analysis.diagnostics.iter().find(|d| d.code == DiagnosticCode::Unknown).expect("an unknown");
    assert!(unknown.message.contains("table `users` is not in the schema"), "{}", unknown.message);
}

#[test]
fn system_fields_helpers_add_id_and_creation_time_after_the_fields() {
    let analysis = analyze_files(&[
        ("convex/schema.ts", CRUD_SCHEMA),
        (
            "convex/posts.ts",
            "import { systemFields, withSystemFields } from \"convex-helpers/validators\";\nimport { v } from \"convex/values\";\n\
             import { query } from \"./_generated/server\";\nimport schema from \"./schema\";\n\
             export const one = query({ args: systemFields(\"posts\"), returns: v.object(withSystemFields(\"posts\", schema.tables.posts.validator.fields)), handler: async () => null });\n",
        ),
    ]);
    assert_eq!(analysis.diagnostics, vec![]);
    let one = &analysis.functions[0];
    assert_eq!(one.args.as_ref().unwrap().describe(), "{ _id: Id<\"posts\">; _creationTime: number }");
    assert_eq!(one.returns.as_ref().unwrap().describe(), "{ title: string; _id: Id<\"posts\">; _creationTime: number }");
}

/// The tables convex-helpers' `rateLimit` and `migrations` define are the library's: their
/// indexes are read by its code, never "unused" because the app's own code does not read them.
#[test]
fn tables_convex_helpers_defines_are_the_librarys_and_never_unused() {
    let analysis = analyze_files(&[
        (
            "convex/schema.ts",
            "import { defineSchema, defineTable } from \"convex/server\";\nimport { migrationsTable } from \"convex-helpers/server/migrations\";\n\
             import { rateLimitTables } from \"convex-helpers/server/rateLimit\";\nimport { v } from \"convex/values\";\n\
             export default defineSchema({ ...rateLimitTables, migrations: migrationsTable, notes: defineTable({ text: v.string() }) });\n",
        ),
        (
            "convex/notes.ts",
            "import { mutation } from \"./_generated/server\";\nimport { v } from \"convex/values\";\n\
             export const add = mutation({ args: { text: v.string() }, handler: async (ctx, { text }) => { await ctx.db.insert(\"rateLimits\", { name: \"x\", value: 1, ts: 0 }); await ctx.db.insert(\"migrations\", { name: \"m\", table: \"notes\", cursor: null, isDone: false, processed: 0, latestStart: 0 }); await ctx.db.insert(\"notes\", { text }); } });\n",
        ),
    ]);
    let tables: Vec<&str> = analysis.schema.as_ref().unwrap().tables.iter().map(|t| t.table_name.as_str()).collect();
    assert_eq!(tables, ["rateLimits", "migrations", "notes"]);
    // Each is defined where the schema uses it (line 5), as `authTables` is; it was the first
    // line of another module.
    let lines: Vec<(&str, String, usize)> =
        analysis.definitions.iter().filter(|d| d.name == "rateLimits" || d.name == "migrations").map(|d| (d.name.as_str(), d.location.file.clone(), d.location.line)).collect();
    assert_eq!(lines, [("rateLimits", "convex/schema.ts".to_owned(), 5), ("migrations", "convex/schema.ts".to_owned(), 5)]);
    assert!(!analysis.findings.iter().any(|f| f.message.contains("Unused index")), "{:?}", analysis.findings.iter().map(|f| &f.message).collect::<Vec<_>>());
    assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
}

/// A router handed to code in a declaration (`const x = register(http)`) may gain routes
/// convex-lens cannot see: an explicit unknown, not silence (convex-helpers' `corsRouter` is
/// modelled; its routes are compared with the package by the `http` fixture).
#[test]
fn a_router_handed_to_code_in_a_declaration_is_an_unknown_change() {
    let analysis = analyze_files(&[(
        "convex/http.ts",
        "import { httpRouter } from \"convex/server\";\nimport { withWebhooks } from \"webhook-kit\";\n\
         const http = httpRouter();\nconst hooks = withWebhooks(http, { secret: \"s\" });\nexport default http;\n",
    )]);
    assert!(analysis.diagnostics.iter().any(|d| d.message.contains("`http` is handed to code that may change it")), "{:?}", analysis.diagnostics);
}

/// convex-helpers' row-level security runs the table's rules on what it reads and writes: a
/// rule that reads another table is a read of the function.
#[test]
fn row_level_security_rules_read_what_they_read() {
    let analysis = analyze_files(&[
        (
            "convex/schema.ts",
            "import { defineSchema, defineTable } from \"convex/server\";\nimport { v } from \"convex/values\";\n\
             export default defineSchema({ teams: defineTable({ name: v.string() }), members: defineTable({ team: v.id(\"teams\"), user: v.string() }).index(\"by_team_user\", [\"team\", \"user\"]), notes: defineTable({ team: v.id(\"teams\"), text: v.string() }) });\n",
        ),
        (
            "convex/notes.ts",
            "import { wrapDatabaseWriter } from \"convex-helpers/server/rowLevelSecurity\";\nimport { mutation } from \"./_generated/server\";\nimport { v } from \"convex/values\";\n\
             const rules = (ctx: any) => ({ notes: { modify: async (ctx: any, note: any) => (await ctx.db.query(\"members\").withIndex(\"by_team_user\", (q: any) => q.eq(\"team\", note.team).eq(\"user\", \"me\")).first()) !== null } });\n\
             export const edit = mutation({ args: { id: v.id(\"notes\"), text: v.string() }, handler: async (ctx, { id, text }) => {\n\
               const db = wrapDatabaseWriter(ctx, ctx.db, rules(ctx));\n  await db.patch(id, { text });\n} });\n",
        ),
    ]);
    let edit = analysis.facts.iter().find(|f| f.function == "notes:edit").unwrap();
    let reads: Vec<&str> = edit.reads.iter().filter_map(|r| r.table.name()).collect();
    assert!(reads.contains(&"members"), "{reads:?}");
}

/// Library code known not to check callers (convex-helpers' retrier) does not make a backend
/// with no check of its callers look as if it had some: its open writes stay one note.
#[test]
fn a_retriers_code_is_no_check_of_callers() {
    let analysis = analyze_files(&[(
        "convex/retries.ts",
        "import { makeActionRetrier } from \"convex-helpers/server/retries\";\nimport { mutation } from \"./_generated/server\";\n\
         export const { runWithRetries, retry } = makeActionRetrier(\"retries:retry\");\n\
         export const open = mutation({ args: {}, handler: async (ctx) => { await ctx.db.insert(\"notes\", {}); } });\n",
    )]);
    let severities: Vec<String> = analysis.findings.iter().map(|f| format!("{:?} {}", f.severity, f.message)).collect();
    assert!(severities.iter().all(|s| s.starts_with("Info")), "{severities:?}");
}

/// convex-helpers' `getPage` reads a range of its index, at most `targetMaxRows` documents (100
/// when the request leaves it out).
#[test]
fn get_page_reads_its_index_up_to_its_target() {
    let analysis = analyze_files(&[
        (
            "convex/schema.ts",
            "import { defineSchema, defineTable } from \"convex/server\";\nimport { v } from \"convex/values\";\n\
             export default defineSchema({ events: defineTable({ at: v.number() }).index(\"by_at\", [\"at\"]) });\n",
        ),
        (
            "convex/events.ts",
            "import { getPage } from \"convex-helpers/server/pagination\";\nimport { query } from \"./_generated/server\";\nimport schema from \"./schema\";\n\
             export const recent = query({ args: {}, handler: async (ctx) => (await getPage(ctx, { table: \"events\", index: \"by_at\", schema })).page });\n\
             export const few = query({ args: {}, handler: async (ctx) => (await getPage(ctx, { table: \"events\", targetMaxRows: 10 })).page });\n",
        ),
    ]);
    let read = |function: &str| {
        let facts = analysis.facts.iter().find(|f| f.function == function).unwrap();
        match &facts.reads[0].access {
            convex_lens_engine::facts::Access::Query(query) => match (&query.index, &query.terminal) {
                (convex_lens_engine::facts::IndexUse::Index { name, .. }, convex_lens_engine::facts::Terminal::Take { n }) => (name.clone(), *n),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(read("events:recent"), ("by_at".to_owned(), Some(100.0)));
    assert_eq!(read("events:few"), ("by_creation_time".to_owned(), Some(10.0)));
}
