//! Default names of published Convex components: what `defineComponent("...")` says in each
//! package's `convex.config`, which the Convex CLI reads when it bundles `app.use(...)`. The
//! versions are those of `tests/npm-corpus`; a name that is not here is an explicit unknown
//! unless `app.use` gives `{ name }`.

use crate::eval::Value;

/// (package, default name).
const DEFAULT_NAMES: [(&str, &str); 39] = [
    ("@convex-dev/action-cache", "actionCache"),
    ("@convex-dev/action-retrier", "actionRetrier"),
    ("@convex-dev/agent", "agent"),
    ("@convex-dev/aggregate", "aggregate"),
    ("@convex-dev/batch-worker", "batchWorker"),
    ("@convex-dev/better-auth", "betterAuth"),
    ("@convex-dev/crons", "crons"),
    ("@convex-dev/expo-push-notifications", "pushNotifications"),
    ("@convex-dev/geospatial", "geospatial"),
    ("@convex-dev/launchdarkly", "launchdarkly"),
    ("@convex-dev/migrations", "migrations"),
    ("@convex-dev/persistent-text-streaming", "persistentTextStreaming"),
    ("@convex-dev/polar", "polar"),
    ("@convex-dev/presence", "presence"),
    ("@convex-dev/prosemirror-sync", "prosemirrorSync"),
    ("@convex-dev/r2", "r2"),
    ("@convex-dev/rag", "rag"),
    ("@convex-dev/rate-limiter", "rateLimiter"),
    ("@convex-dev/ratelimiter", "ratelimiter"),
    ("@convex-dev/resend", "resend"),
    ("@convex-dev/sharded-counter", "shardedCounter"),
    ("@convex-dev/static-hosting", "staticHosting"),
    ("@convex-dev/stripe", "stripe"),
    ("@convex-dev/twilio", "twilio"),
    ("@convex-dev/workflow", "workflow"),
    ("@convex-dev/workos-authkit", "workOSAuthKit"),
    ("@convex-dev/workpool", "workpool"),
    ("@djpanda/convex-authz", "authz"),
    ("@erquhart/convex-oss-stats", "ossStats"),
    ("@gilhrpenner/convex-files-control", "convexFilesControl"),
    ("@hamzasaleemorg/convex-kv", "convexKv"),
    ("@ikhrustalev/convex-debouncer", "debouncer"),
    ("@samhoque/convex-posthog", "posthog"),
    ("@useautumn/convex", "autumn"),
    ("convex-durable-agents", "durable_agents"),
    ("convex-fs", "fs"),
    ("convex-revenuecat", "revenuecat"),
    ("convex-table-history", "tableHistory"),
    ("neutral-cost", "neutralCost"),
];

/// `import x from "<package>/convex.config"` (with or without `.js`).
pub(super) fn definition(package: &str, name: &str) -> Option<Value> {
    let config = package.strip_suffix(".js").unwrap_or(package);
    let package_name = config.strip_suffix("/convex.config")?;
    if name != "default" {
        return None;
    }
    // A component not listed here gets its name from its own `convex.config` when the files
    // hold the package.
    let default_name = DEFAULT_NAMES.iter().find(|(p, _)| *p == package_name).map(|(_, n)| (*n).to_owned())?;
    Some(Value::ComponentDefinition { specifier: package.to_owned(), default_name: Some(default_name) })
}
