//! The facts and analyses of the playground's examples (`www/examples/*`), of the
//! `tests/fixtures/app-jobs` backend and of the apps written on libraries (Convex Auth,
//! convex-helpers, components), read without their packages as the playground does, as `convex-lens inspect` reports them: each snapshot is
//! what an expert reading the code would write down (which index serves each read, what each
//! mutation re-runs, conflicts, hot documents, costs, calls). A changed snapshot is reviewed, not
//! accepted blindly.

use std::path::Path;
use std::process::Command;

/// `project` is relative to the repository root.
fn report(project: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(project);
    let output = Command::new(env!("CARGO_BIN_EXE_convex-lens")).arg("inspect").arg(&dir).arg("--no-packages").output().expect("convex-lens runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn chat_with_channels_messages_and_presence() {
    insta::assert_snapshot!(report("www/examples/chat"));
}

#[test]
fn multi_tenant_saas_with_access_helpers() {
    insta::assert_snapshot!(report("www/examples/saas"));
}

#[test]
fn game_with_a_global_counter_and_a_leaderboard() {
    insta::assert_snapshot!(report("www/examples/game"));
}

#[test]
fn feed_with_pagination_search_and_likes() {
    insta::assert_snapshot!(report("www/examples/feed"));
}

#[test]
fn shop_with_actions_scheduler_crons_and_a_webhook() {
    insta::assert_snapshot!(report("tests/fixtures/app-jobs"));
}

#[test]
fn notes_on_convex_auth() {
    insta::assert_snapshot!(report("tests/fixtures/convex-auth"));
}

#[test]
fn blog_admin_on_convex_helpers_crud() {
    insta::assert_snapshot!(report("tests/fixtures/convex-helpers-app"));
}

#[test]
fn blog_on_migrations_aggregate_rate_limiter_and_workpool() {
    insta::assert_snapshot!(report("tests/fixtures/components-app"));
}
