//! `@convex-dev/aggregate` 0.3.1 (`src/client/index.ts`): `TableAggregate` and
//! `DirectAggregate` keep a B-tree in the component. Each method of the client calls one
//! function of the component (`btree:*` to read, `public:*` to write); a table's trigger
//! (`aggregate.trigger()`, `idempotentTrigger()`) writes the change to it. None of them reads
//! the app's tables or its caller.

pub(super) const LIBRARY: &str = "@convex-dev/aggregate";

/// (method, whether it is a mutation, the component function it calls).
const METHODS: [(&str, bool, &str); 27] = [
    ("count", false, "btree:aggregateBetween"),
    ("countBatch", false, "btree:aggregateBetweenBatch"),
    ("sum", false, "btree:aggregateBetween"),
    ("sumBatch", false, "btree:aggregateBetweenBatch"),
    ("at", false, "btree:atOffset"),
    ("atBatch", false, "btree:atOffsetBatch"),
    ("indexOf", false, "btree:offset"),
    ("indexOfDoc", false, "btree:offset"),
    ("offsetOf", false, "btree:offset"),
    ("offsetUntil", false, "btree:offsetUntil"),
    // `min`, `max` and `random` read through `paginate` and `at`.
    ("min", false, "btree:paginate"),
    ("max", false, "btree:paginate"),
    ("random", false, "btree:atOffset"),
    ("paginate", false, "btree:paginate"),
    ("iter", false, "btree:paginate"),
    ("paginateNamespaces", false, "btree:paginateNamespaces"),
    ("iterNamespaces", false, "btree:paginateNamespaces"),
    ("insert", true, "public:insert"),
    ("delete", true, "public:delete_"),
    ("replace", true, "public:replace"),
    // `insertIfDoesNotExist` is `replaceOrInsert` of the document onto itself.
    ("insertIfDoesNotExist", true, "public:replaceOrInsert"),
    ("deleteIfExists", true, "public:deleteIfExists"),
    ("replaceOrInsert", true, "public:replaceOrInsert"),
    ("clear", true, "public:clear"),
    ("makeRootLazy", true, "public:makeRootLazy"),
    ("enqueueBatch", true, "public:enqueueBatch"),
    ("clearAll", true, "public:clear"),
];

/// The component function a method of the client calls, and whether it is a mutation.
pub(super) fn method(name: &str) -> Option<(bool, &'static str)> {
    METHODS.iter().find(|(method, _, _)| *method == name).map(|(_, mutation, path)| (*mutation, *path))
}

/// What the trigger made by `trigger()` or `idempotentTrigger()` calls for a change: the write
/// of its operation (`insert`, `update`, `delete`) to the B-tree.
pub(super) fn trigger(made_by: &str, operation: &str) -> Option<&'static str> {
    Some(match (made_by, operation) {
        ("trigger", "insert") => "public:insert",
        ("trigger", "update") => "public:replace",
        ("trigger", "delete") => "public:delete_",
        ("idempotentTrigger", "insert" | "update") => "public:replaceOrInsert",
        ("idempotentTrigger", "delete") => "public:deleteIfExists",
        _ => return None,
    })
}
