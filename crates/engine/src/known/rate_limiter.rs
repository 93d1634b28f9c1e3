//! `@convex-dev/rate-limiter` 0.4.0 (`src/client/index.ts`): each method of `RateLimiter` calls
//! one function of the component (`limit` the mutation `lib:rateLimit`, ...). With
//! `applyUpdates: "asynchronously"` a limit reads `lib:checkRateLimit` and queues the update
//! instead; the call named here is the default one.

pub(super) const LIBRARY: &str = "@convex-dev/rate-limiter";

pub(super) fn method(name: &str) -> Option<(bool, &'static str)> {
    Some(match name {
        "limit" => (true, "lib:rateLimit"),
        "check" => (false, "lib:checkRateLimit"),
        "reset" => (true, "lib:resetRateLimit"),
        "getValue" => (false, "lib:getValue"),
        _ => return None,
    })
}
