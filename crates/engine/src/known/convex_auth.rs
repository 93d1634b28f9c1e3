//! `@convex-dev/auth` 0.0.95: the tables its users spread into their schema (`authTables` in
//! `src/server/implementation/types.ts`).

use crate::builders::schema_table;
use crate::eval::Value;
use crate::values::Span;
use crate::validator::Validator::{self, Boolean, Number, String as Str};

const LIBRARY: &str = "@convex-dev/auth/server";

pub(super) fn is_library(package: &str) -> bool {
    package == LIBRARY || package.starts_with("@convex-dev/auth/")
}

pub(super) fn export(package: &str, name: &str, span: Span) -> Option<Value> {
    match name {
        _ if package != LIBRARY => None,
        "authTables" => Some(auth_tables(span)),
        // Functions of the caller's identity; the facts read their calls (`facts::helpers`).
        "getAuthUserId" | "getAuthSessionId" => Some(Value::Builtin(crate::values::Builtin::Export { library: LIBRARY, name: name.to_owned() })),
        _ => None,
    }
}

fn id(table: &str) -> Validator {
    Validator::Id { table: table.to_owned() }
}

/// Each table: name, fields (name, validator, optional), indexes (name, fields).
fn auth_tables(span: Span) -> Value {
    type Fields<'a> = &'a [(&'a str, Validator, bool)];
    type Indexes<'a> = &'a [(&'a str, &'a [&'a str])];
    let tables: [(&str, Fields, Indexes); 7] = [
        (
            "users",
            &[
                ("name", Str, true),
                ("image", Str, true),
                ("email", Str, true),
                ("emailVerificationTime", Number, true),
                ("phone", Str, true),
                ("phoneVerificationTime", Number, true),
                ("isAnonymous", Boolean, true),
            ],
            &[("email", &["email"]), ("phone", &["phone"])],
        ),
        ("authSessions", &[("userId", id("users"), false), ("expirationTime", Number, false)], &[("userId", &["userId"])]),
        (
            "authAccounts",
            &[
                ("userId", id("users"), false),
                ("provider", Str, false),
                ("providerAccountId", Str, false),
                ("secret", Str, true),
                ("emailVerified", Str, true),
                ("phoneVerified", Str, true),
            ],
            &[("userIdAndProvider", &["userId", "provider"]), ("providerAndAccountId", &["provider", "providerAccountId"])],
        ),
        (
            "authRefreshTokens",
            &[
                ("sessionId", id("authSessions"), false),
                ("expirationTime", Number, false),
                ("firstUsedTime", Number, true),
                ("parentRefreshTokenId", id("authRefreshTokens"), true),
            ],
            &[("sessionId", &["sessionId"]), ("sessionIdAndParentRefreshTokenId", &["sessionId", "parentRefreshTokenId"])],
        ),
        (
            "authVerificationCodes",
            &[
                ("accountId", id("authAccounts"), false),
                ("provider", Str, false),
                ("code", Str, false),
                ("expirationTime", Number, false),
                ("verifier", Str, true),
                ("emailVerified", Str, true),
                ("phoneVerified", Str, true),
            ],
            &[("accountId", &["accountId"]), ("code", &["code"])],
        ),
        (
            "authVerifiers",
            &[("sessionId", id("authSessions"), true), ("signature", Str, true)],
            &[("signature", &["signature"])],
        ),
        (
            "authRateLimits",
            &[("identifier", Str, false), ("lastAttemptTime", Number, false), ("attemptsLeft", Number, false)],
            &[("identifier", &["identifier"])],
        ),
    ];
    Value::Object(tables.iter().map(|(name, fields, indexes)| (name.to_string(), schema_table(LIBRARY, fields, indexes, span))).collect())
}
