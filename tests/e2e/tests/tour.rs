//! Every view of two examples, as screenshots to look at (`target/e2e/tour-*.png`), with the
//! load and update times printed (measured, never asserted), and a schema of 80 tables.

use convex_lens_e2e::Browser;
use serde_json::json;

/// Milliseconds since the page started loading, once `css` matches (polled in the page).
async fn ms_until(browser: &Browser, css: &str) -> f64 {
    let script = r#"
        const [css, done] = arguments;
        const poll = () => document.querySelector(css) ? done(performance.now()) : setTimeout(poll, 5);
        poll();
    "#;
    browser.client.execute_async(script, vec![json!(css)]).await.unwrap().as_f64().unwrap()
}

async fn shoot_every_tab(browser: &Browser, example: &str) {
    for tab in browser.tab_ids().await {
        browser.open_tab(&tab).await;
        if ["schema", "reactivity", "calls"].contains(&tab.as_str()) {
            browser.wait_for(&format!("[data-diagram='{tab}'] [data-node]")).await;
        }
        browser.screenshot(&format!("tour-{example}-{tab}")).await;
    }
}

/// Adds a table at the end of the open schema and times the edit until the Tables tab shows it.
async fn time_a_new_table(browser: &Browser, table: &str) -> f64 {
    let script = r#"
        const [table, done] = arguments;
        const view = ConvexLensEditor.findView(document.querySelector(".cm-editor"));
        const at = view.state.doc.toString().lastIndexOf("});");
        const started = performance.now();
        view.dispatch({ changes: { from: at, insert: `  ${table}: defineTable({ body: v.string() }),\n` } });
        const poll = () => document.querySelector(`.table[data-table='${table}']`) ? done(performance.now() - started) : setTimeout(poll, 2);
        poll();
    "#;
    browser.client.execute_async(script, vec![json!(table)]).await.unwrap().as_f64().unwrap()
}

/// A module with a query and a mutation over the example's messages.
fn extra_module(i: usize) -> String {
    format!(
        "import {{ query, mutation }} from \"./_generated/server\";\nimport {{ v }} from \"convex/values\";\n\
         export const recent = query({{ args: {{ channel: v.id(\"channels\") }}, handler: async (ctx, {{ channel }}) =>\n  ctx.db.query(\"messages\").withIndex(\"by_channel\", (q) => q.eq(\"channel\", channel)).order(\"desc\").take({}) }});\n\
         export const rename = mutation({{ args: {{ id: v.id(\"channels\"), name: v.string() }}, handler: async (ctx, {{ id, name }}) => {{ await ctx.db.patch(id, {{ name }}); }} }});\n",
        10 + i
    )
}

#[tokio::test]
async fn every_view_of_two_examples_with_the_load_and_update_times() {
    let browser = Browser::open_playground().await;
    let interactive = ms_until(&browser, ".cm-content, .examples-button").await;
    let loaded = ms_until(&browser, ".overview [data-count='tables']").await;
    println!("load: the editor and toolbar usable {interactive:.0} ms after navigation, results shown at {loaded:.0} ms");
    shoot_every_tab(&browser, "chat").await;

    // An edit, from the change to the results that show it (the 80 ms pause included).
    browser.open_tab("tables").await;
    browser.select_file("convex/schema.ts").await;
    let update = time_a_new_table(&browser, "notes").await;
    println!("update: a new table shown {update:.0} ms after the edit (11 files)");
    // The same on a backend of 20 files.
    for i in 0..9 {
        browser.add_file(&format!("convex/extra{i}.ts")).await;
        browser.paste(&extra_module(i)).await;
    }
    let analysed = r#"
        const done = arguments[0];
        const poll = () => (document.querySelector(".summary-model")?.textContent ?? "").includes("35 functions") ? done(true) : setTimeout(poll, 10);
        poll();
    "#;
    browser.client.execute_async(analysed, vec![]).await.unwrap();
    assert_eq!(browser.file_paths().await.len(), 20);
    browser.select_file("convex/schema.ts").await;
    let update = time_a_new_table(&browser, "journal").await;
    println!("update: a new table shown {update:.0} ms after the edit (20 files)");
    let diagram = r#"
        const done = arguments[0];
        const started = performance.now();
        const view = ConvexLensEditor.findView(document.querySelector(".cm-editor"));
        const at = view.state.doc.toString().lastIndexOf("});");
        view.dispatch({ changes: { from: at, insert: "  drafts: defineTable({ note: v.id(\"notes\") }),\n" } });
        document.querySelector("[role='tab'][data-tab='schema']").click();
        const poll = () => document.querySelector("[data-diagram='schema'] [data-node='drafts']") ? done(performance.now() - started) : setTimeout(poll, 2);
        poll();
    "#;
    let laid_out = browser.client.execute_async(diagram, vec![]).await.unwrap().as_f64().unwrap();
    println!("update: the new table drawn in the schema diagram {laid_out:.0} ms after the edit");

    browser.click(".examples-button").await;
    browser.click(".examples-menu [data-example='game']").await;
    browser.open_tab("tables").await;
    browser.wait_for(".table[data-table='leaderboard'], .table[data-table='scores']").await;
    shoot_every_tab(&browser, "game").await;
    browser.close().await;
}

/// Eighty tables in four files, each file a chain of references plus one to the first file.
fn big_schema() -> Vec<(String, String)> {
    let modules = ["accounts", "billing", "content", "support"];
    let mut files = Vec::new();
    let spread: Vec<String> = modules.iter().map(|m| format!("...{m}")).collect();
    let imports: String = modules.iter().map(|m| format!("import {{ {m} }} from \"./tables/{m}\";\n")).collect();
    files.push(("convex/schema.ts".to_string(), format!("import {{ defineSchema }} from \"convex/server\";\n{imports}export default defineSchema({{ {} }});\n", spread.join(", "))));
    for (k, module) in modules.iter().enumerate() {
        let tables: String = (0..20)
            .map(|i| {
                let mut fields = String::from("name: v.string(), createdAt: v.number()");
                if i > 0 && i % 4 != 0 {
                    fields.push_str(&format!(", parent: v.id(\"{module}{}\")", i - 1));
                }
                if k > 0 && i % 5 == 0 {
                    fields.push_str(", owner: v.id(\"accounts0\")");
                }
                format!("  {module}{i}: defineTable({{ {fields} }}).index(\"by_name\", [\"name\"]),\n")
            })
            .collect();
        let text = format!("import {{ defineTable }} from \"convex/server\";\nimport {{ v }} from \"convex/values\";\nexport const {module} = {{\n{tables}}};\n");
        files.push((format!("convex/tables/{module}.ts"), text));
    }
    files
}

#[tokio::test]
async fn a_schema_of_eighty_tables_is_grouped_by_file_and_drawn_without_overlaps() {
    let browser = Browser::open_with_example().await;
    for (path, text) in big_schema() {
        if path == "convex/schema.ts" {
            browser.select_file(&path).await;
        } else {
            browser.add_file(&path).await;
        }
        browser.paste(&text).await;
    }
    browser.open_tab("schema").await;
    browser.wait_for("[data-diagram='schema'] [data-node='support19']").await;
    let names = "return [...document.querySelectorAll(\"[data-diagram='schema'] .group-name\")].map((g) => g.textContent);";
    let groups: Vec<String> = serde_json::from_value(browser.client.execute(names, vec![]).await.unwrap()).unwrap();
    assert_eq!(groups, ["convex/tables/accounts.ts", "convex/tables/billing.ts", "convex/tables/content.ts", "convex/tables/support.ts"]);
    let script = r#"
        const boxes = [...document.querySelectorAll("[data-diagram='schema'] .node-box")].map((b) => b.getBBox());
        let overlaps = 0;
        boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
            if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) overlaps++;
        }));
        return [boxes.length, overlaps];
    "#;
    let counted = browser.client.execute(script, vec![]).await.unwrap();
    assert_eq!(counted, json!([80, 0]));
    browser.screenshot("tour-80-tables-schema").await;
    browser.click(".zoom-fit").await;
    browser.screenshot("tour-80-tables-schema-fit").await;
    // Search finds a table among the eighty and brings it into view.
    browser.wait_for(".diagram-search").await.send_keys("content13").await.unwrap();
    browser.wait_for("[data-node='content13'].match").await;
    browser.screenshot("tour-80-tables-schema-search").await;
    browser.close().await;
}
