//! Clients of published components whose methods each call one function of their component and
//! register nothing: `@convex-dev/resend` 0.2.8, `@convex-dev/sharded-counter` 0.2.1,
//! `@convex-dev/presence` 0.4.0, `@convex-dev/action-cache` 0.3.1 (each `src/client/index.ts`).
//! A method that calls more than one names the one that writes, or the first.

pub(super) const RESEND: &str = "@convex-dev/resend";
pub(super) const SHARDED_COUNTER: &str = "@convex-dev/sharded-counter";
pub(super) const PRESENCE: &str = "@convex-dev/presence";
pub(super) const ACTION_CACHE: &str = "@convex-dev/action-cache";

/// (package, class) of each.
pub(super) const CLIENTS: [(&str, &str); 4] = [(RESEND, "Resend"), (SHARDED_COUNTER, "ShardedCounter"), (PRESENCE, "Presence"), (ACTION_CACHE, "ActionCache")];

/// The component function a method calls, and whether it is a mutation.
pub(super) fn method(package: &str, name: &str) -> Option<(bool, &'static str)> {
    Some(match (package, name) {
        (RESEND, "sendEmail") => (true, "lib:sendEmail"),
        (RESEND, "sendEmailManually") => (true, "lib:createManualEmail"),
        (RESEND, "cancelEmail") => (true, "lib:cancelEmail"),
        (RESEND, "status") => (false, "lib:getStatus"),
        (RESEND, "get") => (false, "lib:get"),
        (RESEND, "handleResendEventWebhook") => (true, "lib:handleEmailEvent"),
        (SHARDED_COUNTER, "add" | "subtract" | "inc" | "dec") => (true, "public:add"),
        (SHARDED_COUNTER, "count") => (false, "public:count"),
        (SHARDED_COUNTER, "estimateCount") => (false, "public:estimateCount"),
        (SHARDED_COUNTER, "rebalance") => (true, "public:rebalance"),
        (SHARDED_COUNTER, "reset") => (true, "public:reset"),
        (PRESENCE, "heartbeat" | "updateRoomUser" | "disconnect" | "removeRoomUser" | "removeRoom") => (true, presence_path(name)),
        (PRESENCE, "list" | "listRoom" | "listUser") => (false, presence_path(name)),
        // `fetch` reads the cache, and on a miss runs the app's action and stores its result.
        (ACTION_CACHE, "fetch") => (true, "lib:put"),
        (ACTION_CACHE, "remove") => (true, "lib:remove"),
        (ACTION_CACHE, "removeAllForName" | "removeAll") => (true, "lib:removeAll"),
        _ => return None,
    })
}

fn presence_path(name: &str) -> &'static str {
    match name {
        "heartbeat" => "public:heartbeat",
        "updateRoomUser" => "public:updateRoomUser",
        "disconnect" => "public:disconnect",
        "removeRoomUser" => "public:removeRoomUser",
        "removeRoom" => "public:removeRoom",
        "list" => "public:list",
        "listRoom" => "public:listRoom",
        _ => "public:listUser",
    }
}
