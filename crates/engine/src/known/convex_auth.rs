//! `@convex-dev/auth` 0.0.95: the tables its users spread into their schema (`authTables` in
//! `src/server/implementation/types.ts`), the identity helpers, and the functions `convexAuth`
//! registers.

use crate::builders::{fail, schema_table};
use crate::eval::Value;
use crate::validator::Validator::{self, Boolean, Number, String as Str};
use crate::values::{Arg, Builtin, Declared, FunctionDef, FunctionKind, LibraryCode, LibraryHandler, LibraryRoute, LibraryValue, Span, Unknown, Visibility};

const LIBRARY: &str = "@convex-dev/auth/server";

pub(super) fn is_library(package: &str) -> bool {
    package == LIBRARY || package.starts_with("@convex-dev/auth/")
}

pub(super) fn export(package: &str, name: &str, span: Span) -> Option<Value> {
    match name {
        _ if package != LIBRARY => None,
        "authTables" => Some(auth_tables(span)),
        // Functions of the caller's identity; the facts read their calls (`facts::helpers`).
        "getAuthUserId" | "getAuthSessionId" | "convexAuth" => Some(Value::Builtin(Builtin::Export { library: LIBRARY, name: name.to_owned() })),
        _ => None,
    }
}

pub(super) fn call(name: &str, args: Vec<Arg>, span: Span) -> Result<Value, Unknown> {
    match name {
        "convexAuth" => Ok(convex_auth(args.first(), span)),
        _ => Err(fail(span, format!("`{name}` from \"{LIBRARY}\" is not evaluated statically"))),
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

/// `convexAuth(config)` (`src/server/implementation/index.ts`): the helper object `auth` and the
/// four functions the app exports from it, registered as the package registers them. Their
/// arguments are the package's own validators, as `exportArgs()` writes them; their handlers are
/// the library's code, which the facts record as an opaque call on the tables it uses. Of
/// `config`, only the providers matter here: whether one signs in through OAuth decides which
/// routes `auth.addHttpRoutes(http)` adds.
fn convex_auth(config: Option<&Arg>, span: Span) -> Value {
    let handler = || LibraryHandler {
        value: LibraryValue { package: LIBRARY.to_owned(), name: "convexAuth".to_owned() },
        code: LibraryCode::Unread { tables: AUTH_TABLES.iter().map(|t| t.to_string()).collect() },
    };
    let function = |kind, visibility, args: &str| {
        let args = serde_json::from_str(args).ok().and_then(|json| Validator::from_json(&json).ok());
        Value::Function(Box::new(FunctionDef {
            kind,
            visibility,
            args: args.map_or_else(|| Declared::Unknown(fail(span, "the package's arguments could not be read")), Declared::Known),
            returns: Declared::Absent,
            handler: None,
            customization: None,
            library: Some(handler()),
            span,
        }))
    };
    let export = |name: &str| Value::Builtin(Builtin::Export { library: LIBRARY, name: name.to_owned() });
    let routes = uses_oauth(config, span).map(|oauth| if oauth { ALWAYS.iter().chain(&OAUTH).cloned().collect() } else { ALWAYS.to_vec() });
    let auth = Value::Object(vec![
        // Deprecated forms of the identity helpers (`auth.getUserId(ctx)`), the same code.
        ("getUserId".to_owned(), export("getAuthUserId")),
        ("getSessionId".to_owned(), export("getAuthSessionId")),
        ("addHttpRoutes".to_owned(), Value::Builtin(Builtin::AddsRoutes { library: handler(), routes })),
    ]);
    Value::Object(vec![
        ("auth".to_owned(), auth),
        ("signIn".to_owned(), function(FunctionKind::Action, Visibility::Public, SIGN_IN_ARGS)),
        ("signOut".to_owned(), function(FunctionKind::Action, Visibility::Public, NO_ARGS)),
        ("store".to_owned(), function(FunctionKind::Mutation, Visibility::Internal, STORE_ARGS)),
        ("isAuthenticated".to_owned(), function(FunctionKind::Query, Visibility::Public, NO_ARGS)),
    ])
}

/// The routes `addHttpRoutes` adds always (`/.well-known/*`, for the tokens' issuer), and those it
/// adds when a provider signs in through OAuth.
const ALWAYS: [LibraryRoute; 2] = [
    LibraryRoute { path: "/.well-known/openid-configuration", prefix: false, method: "GET" },
    LibraryRoute { path: "/.well-known/jwks.json", prefix: false, method: "GET" },
];
const OAUTH: [LibraryRoute; 3] = [
    LibraryRoute { path: "/api/auth/signin/", prefix: true, method: "GET" },
    LibraryRoute { path: "/api/auth/callback/", prefix: true, method: "GET" },
    LibraryRoute { path: "/api/auth/callback/", prefix: true, method: "POST" },
];

/// Whether a provider of `config.providers` signs in through OAuth (`type` "oauth" or "oidc"),
/// known from where each provider comes from: Auth.js's providers are OAuth ones but for its
/// credentials, email and WebAuthn providers; Convex Auth's own (`Password`, `Anonymous`,
/// `ConvexCredentials`, `Email`, `Phone`) are not; a literal says its `type`.
fn uses_oauth(config: Option<&Arg>, span: Span) -> Result<bool, Unknown> {
    let unknown = |why: &str| fail(span, format!("the routes `auth.addHttpRoutes(http)` adds are not known: {why}"));
    let providers = match config.map(|c| &c.value) {
        Some(Value::Object(entries)) => match crate::builders::entry(entries, "providers") {
            Some(Value::Array(providers)) => providers,
            // The evaluator keeps a list with a value it cannot follow as that value (a provider
            // imported from a package): an OAuth one settles it, whatever the others are.
            Some(provider @ Value::Unknown(_)) if provider_uses_oauth(provider) == Some(true) => return Ok(true),
            Some(Value::Unknown(_)) => {
                return Err(unknown("the providers of `convexAuth` hold a value convex-lens does not read, and the first one does not settle it (only an OAuth provider would)"))
            }
            _ => return Err(unknown("the providers of `convexAuth` are not a list convex-lens can read")),
        },
        _ => return Err(unknown("the configuration of `convexAuth` is not an object convex-lens can read")),
    };
    let mut unclassified = false;
    for provider in providers {
        match provider_uses_oauth(provider) {
            Some(true) => return Ok(true),
            Some(false) => {}
            None => unclassified = true,
        }
    }
    if unclassified {
        return Err(unknown("a provider of `convexAuth` is neither one of Auth.js's nor one of Convex Auth's"));
    }
    Ok(false)
}

fn provider_uses_oauth(provider: &Value) -> Option<bool> {
    match provider {
        Value::Unknown(Unknown { library: Some(library), .. }) => {
            if let Some(id) = library.package.strip_prefix("@auth/core/providers/") {
                return Some(!matches!(id, "credentials" | "email" | "nodemailer" | "resend" | "sendgrid" | "postmark" | "forwardemail" | "passkey" | "webauthn"));
            }
            library.package.starts_with("@convex-dev/auth/providers/").then_some(false)
        }
        Value::Object(entries) => match crate::builders::entry(entries, "type") {
            Some(Value::String(kind)) => Some(kind == "oauth" || kind == "oidc"),
            _ => None,
        },
        _ => None,
    }
}

/// The tables `authTables` defines, which the functions of `convexAuth` read and write.
const AUTH_TABLES: [&str; 7] = ["users", "authSessions", "authAccounts", "authRefreshTokens", "authVerificationCodes", "authVerifiers", "authRateLimits"];

const NO_ARGS: &str = r#"{"type":"object","value":{}}"#;

/// `signIn`'s arguments, as the package's `exportArgs()` writes them.
const SIGN_IN_ARGS: &str = r#"{"type":"object","value":{"provider":{"fieldType":{"type":"string"},"optional":true},"params":{"fieldType":{"type":"any"},"optional":true},"verifier":{"fieldType":{"type":"string"},"optional":true},"refreshToken":{"fieldType":{"type":"string"},"optional":true},"calledBy":{"fieldType":{"type":"string"},"optional":true}}}"#;

/// `store`'s arguments: one member of the union per step of a sign-in the package's actions ask
/// the mutation to run.
const STORE_ARGS: &str = r#"{"type":"object","value":{"args":{"fieldType":{"type":"union","value":[
    {"type":"object","value":{"type":{"fieldType":{"type":"literal","value":"signIn"},"optional":false},"userId":{"fieldType":{"type":"id","tableName":"users"},"optional":false},"sessionId":{"fieldType":{"type":"id","tableName":"authSessions"},"optional":true},"generateTokens":{"fieldType":{"type":"boolean"},"optional":false}}},
    {"type":"object","value":{"type":{"fieldType":{"type":"literal","value":"signOut"},"optional":false}}},
    {"type":"object","value":{"type":{"fieldType":{"type":"literal","value":"refreshSession"},"optional":false},"refreshToken":{"fieldType":{"type":"string"},"optional":false}}},
    {"type":"object","value":{"type":{"fieldType":{"type":"literal","value":"verifyCodeAndSignIn"},"optional":false},"params":{"fieldType":{"type":"any"},"optional":false},"provider":{"fieldType":{"type":"string"},"optional":true},"verifier":{"fieldType":{"type":"string"},"optional":true},"generateTokens":{"fieldType":{"type":"boolean"},"optional":false},"allowExtraProviders":{"fieldType":{"type":"boolean"},"optional":false}}},
    {"type":"object","value":{"type":{"fieldType":{"type":"literal","value":"verifier"},"optional":false}}},
    {"type":"object","value":{"type":{"fieldType":{"type":"literal","value":"verifierSignature"},"optional":false},"verifier":{"fieldType":{"type":"string"},"optional":false},"signature":{"fieldType":{"type":"string"},"optional":false}}},
    {"type":"object","value":{"type":{"fieldType":{"type":"literal","value":"userOAuth"},"optional":false},"provider":{"fieldType":{"type":"string"},"optional":false},"providerAccountId":{"fieldType":{"type":"string"},"optional":false},"profile":{"fieldType":{"type":"any"},"optional":false},"signature":{"fieldType":{"type":"string"},"optional":false}}},
    {"type":"object","value":{"type":{"fieldType":{"type":"literal","value":"createVerificationCode"},"optional":false},"accountId":{"fieldType":{"type":"id","tableName":"authAccounts"},"optional":true},"provider":{"fieldType":{"type":"string"},"optional":false},"email":{"fieldType":{"type":"string"},"optional":true},"phone":{"fieldType":{"type":"string"},"optional":true},"code":{"fieldType":{"type":"string"},"optional":false},"expirationTime":{"fieldType":{"type":"number"},"optional":false},"allowExtraProviders":{"fieldType":{"type":"boolean"},"optional":false}}},
    {"type":"object","value":{"type":{"fieldType":{"type":"literal","value":"createAccountFromCredentials"},"optional":false},"provider":{"fieldType":{"type":"string"},"optional":false},"account":{"fieldType":{"type":"object","value":{"id":{"fieldType":{"type":"string"},"optional":false},"secret":{"fieldType":{"type":"string"},"optional":true}}},"optional":false},"profile":{"fieldType":{"type":"any"},"optional":false},"shouldLinkViaEmail":{"fieldType":{"type":"boolean"},"optional":true},"shouldLinkViaPhone":{"fieldType":{"type":"boolean"},"optional":true}}},
    {"type":"object","value":{"type":{"fieldType":{"type":"literal","value":"retrieveAccountWithCredentials"},"optional":false},"provider":{"fieldType":{"type":"string"},"optional":false},"account":{"fieldType":{"type":"object","value":{"id":{"fieldType":{"type":"string"},"optional":false},"secret":{"fieldType":{"type":"string"},"optional":true}}},"optional":false}}},
    {"type":"object","value":{"type":{"fieldType":{"type":"literal","value":"modifyAccount"},"optional":false},"provider":{"fieldType":{"type":"string"},"optional":false},"account":{"fieldType":{"type":"object","value":{"id":{"fieldType":{"type":"string"},"optional":false},"secret":{"fieldType":{"type":"string"},"optional":false}}},"optional":false}}},
    {"type":"object","value":{"type":{"fieldType":{"type":"literal","value":"invalidateSessions"},"optional":false},"userId":{"fieldType":{"type":"id","tableName":"users"},"optional":false},"except":{"fieldType":{"type":"array","value":{"type":"id","tableName":"authSessions"}},"optional":true}}}
]},"optional":false}}}"#;
