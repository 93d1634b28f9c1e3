//! The other ways the app's code is reached: HTTP routes (`http.ts`), cron jobs (`crons.ts`) and
//! installed components (`convex.config.ts`).

use serde_json::Value;
use yew::prelude::*;

use convex_lens_engine::Analysis;
use crate::source_link::SourceLink;

/// A table of rows, or a sentence when there are none.
fn table(label: &str, headings: &[&str], rows: Vec<Html>, empty: &str) -> Html {
    if rows.is_empty() {
        return html! { <p class="empty">{ empty.to_owned() }</p> };
    }
    html! {
        <table class="entry-points" aria-label={label.to_owned()}>
            <thead><tr>{ for headings.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr></thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}

/// Where a row is defined: always in the root file of its kind, so the line says enough.
fn defined_at(location: &convex_lens_engine::Location) -> Html {
    html! { <td><SourceLink location={location.clone()} label={format!("line {}", location.line)} /></td> }
}

fn unknown() -> Html {
    html! { <span class="unknown" title="could not be evaluated without running the code; see Problems">{ "unknown" }</span> }
}

pub fn routes(analysis: &Analysis) -> Html {
    let rows = analysis.http_routes.iter().map(|route| html! {
        <tr class="route" data-route={format!("{} {}", route.method, route.path)}>
            <td><span class={classes!("badge", "method", route.method.to_lowercase())}>{ &route.method }</span></td>
            <td><code class="route-path">{ &route.path }</code></td>
            { defined_at(&route.location) }
        </tr>
    });
    table("HTTP routes", &["Method", "Path", "Defined"], rows.collect(), "No HTTP routes: route requests with httpRouter() in convex/http.ts.")
}

pub fn crons(analysis: &Analysis) -> Html {
    let rows = analysis.crons.iter().map(|job| html! {
        <tr class="cron" data-cron={job.name.clone()}>
            <td class="cron-name">{ &job.name }</td>
            <td>if let Some(function) = &job.function { <code class="cron-function">{ function }</code> } else { { unknown() } }</td>
            <td class="schedule" title={job.schedule.to_string()}>{ schedule(&job.schedule) }</td>
            { defined_at(&job.location) }
        </tr>
    });
    table("Cron jobs", &["Name", "Runs", "Schedule", "Defined"], rows.collect(), "No cron jobs: schedule functions with cronJobs() in convex/crons.ts.")
}

pub fn components(analysis: &Analysis) -> Html {
    let rows = analysis.components.iter().map(|component| html! {
        <tr class="component">
            <td>if let Some(name) = &component.name { <code class="component-name">{ name }</code> } else { { unknown() } }</td>
            <td><code class="component-definition">{ &component.definition }</code></td>
            <td>if let Some(prefix) = &component.http_prefix { <code>{ prefix }</code> }</td>
            { defined_at(&component.location) }
        </tr>
    });
    table("Installed components", &["Name", "Definition", "HTTP prefix", "Defined"], rows.collect(), "No components: install them with app.use(...) in convex/convex.config.ts.")
}

/// A cron schedule (`crons.export()` JSON) in words; the JSON itself when it is not one of
/// Convex's schedule types.
fn schedule(schedule: &Value) -> String {
    // Convex's schedules count in whole units.
    let number = |key: &str| schedule.get(key).and_then(Value::as_f64).map(|n| n as i64);
    let time = || match (number("hourUTC"), number("minuteUTC")) {
        (Some(hour), minute) => format!(" at {hour:02}:{:02} UTC", minute.unwrap_or(0)),
        (None, Some(minute)) => format!(" at minute {minute}"),
        (None, None) => String::new(),
    };
    match schedule.get("type").and_then(Value::as_str) {
        Some("interval") => {
            let units = [("seconds", "second"), ("minutes", "minute"), ("hours", "hour")];
            match units.iter().find_map(|(key, one)| number(key).map(|n| (n, one))) {
                Some((1, one)) => format!("every {one}"),
                Some((n, one)) => format!("every {n} {one}s"),
                None => schedule.to_string(),
            }
        }
        Some("hourly") => format!("hourly{}", time()),
        Some("daily") => format!("daily{}", time()),
        Some("weekly") => match schedule.get("dayOfWeek").and_then(Value::as_str) {
            Some(day) => format!("every {day}{}", time()),
            None => format!("weekly{}", time()),
        },
        Some("monthly") => match number("day") {
            Some(day) => format!("monthly on day {day}{}", time()),
            None => format!("monthly{}", time()),
        },
        Some("cron") => match schedule.get("cron").and_then(Value::as_str) {
            Some(expression) => format!("cron {expression}"),
            None => schedule.to_string(),
        },
        _ => schedule.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use serde_json::json;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn routes_crons_and_components_are_listed() {
        let model = analysis(json!({
                "httpRoutes": [{ "path": "/health", "method": "GET", "location": location("convex/http.ts", 6, 1), "handler": null }],
                "crons": [
                    { "name": "clear", "function": "messages:clear", "args": [{}], "schedule": { "minutes": 5, "type": "interval" }, "location": location("convex/crons.ts", 4, 1) },
                    { "name": "nightly", "function": null, "args": null, "schedule": { "hourUTC": 3, "minuteUTC": 30, "type": "daily" }, "location": location("convex/crons.ts", 5, 1) },
                ],
            "components": [{ "name": "rateLimiter", "definition": "@convex-dev/rate-limiter/convex.config", "httpPrefix": null, "location": location("convex/convex.config.ts", 4, 1) }],
        }));
        let root = render::<View>(ViewProps { analysis: model.clone(), view: routes }).await;
        assert_eq!(texts(&root, ".route td"), ["GET", "/health", "line 6"]);
        let root = render::<View>(ViewProps { analysis: model.clone(), view: crons }).await;
        assert_eq!(texts(&root, ".cron-name"), ["clear", "nightly"]);
        assert_eq!(texts(&root, ".schedule"), ["every 5 minutes", "daily at 03:30 UTC"]);
        assert_eq!(texts(&root, "[data-cron='nightly'] .unknown"), ["unknown"]);
        let root = render::<View>(ViewProps { analysis: model, view: components }).await;
        assert_eq!(texts(&root, ".component-name"), ["rateLimiter"]);
    }
}
