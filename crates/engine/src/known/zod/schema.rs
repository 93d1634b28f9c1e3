//! zod schemas as data: what `z.string()`, `z.object({...}).partial()`, `.transform(fn)` and the
//! rest build, kept abstract enough that one schema serves zod 3 and zod 4 (whose conversions to
//! Convex differ, see [`super::convert`]).

use crate::validator::LiteralValue;
use crate::values::Value;

/// The zod major version whose classes a schema is made of. `zod/v3` and `zod/v4` say it; the
/// bare `zod` is whichever major the project installs (see `Resolver::canonical_package`), and
/// when that is not known, the convex-helpers entry point that reads the schema decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZodMajor {
    V3,
    V4,
}

#[derive(Clone, Debug)]
pub struct ZodSchema {
    pub major: Option<ZodMajor>,
    pub kind: ZodKind,
}

/// A zod literal value (`z.literal(...)`, an enum member).
#[derive(Clone, Debug, PartialEq)]
pub enum ZodLiteral {
    Value(LiteralValue),
    Null,
    Undefined,
}

#[derive(Clone, Debug)]
pub enum ZodKind {
    String,
    Number,
    NaN,
    BigInt,
    Boolean,
    Null,
    Any,
    Unknown,
    Never,
    /// `z.templateLiteral([...])` (zod 4).
    TemplateLiteral,
    /// Types with no Convex counterpart (`z.date()`, `z.map()`, ...): converting them throws.
    Unsupported(&'static str),
    /// `zid("table")` of convex-helpers.
    Id(String),
    /// `z.custom()`, `z.instanceof()`.
    Custom,
    Array(Box<ZodSchema>),
    Object(Vec<(String, ZodSchema)>),
    /// `z.union`, `z.discriminatedUnion`, `z.xor`.
    Union(Vec<ZodSchema>),
    Intersection,
    Tuple(Vec<ZodSchema>, Option<Box<ZodSchema>>),
    Literal(Vec<ZodLiteral>),
    /// `z.enum`: the entries of its enum object, `(key, value)`.
    Enum(Vec<(String, LiteralValue)>),
    /// `z.nativeEnum(obj)`: an enum in zod 4, unsupported by convex-helpers' zod 3 conversion.
    NativeEnum(Vec<(String, LiteralValue)>),
    Record { key: Box<ZodSchema>, value: Box<ZodSchema> },
    Optional(Box<ZodSchema>),
    /// `.required()` / `z.nonoptional()`.
    NonOptional(Box<ZodSchema>),
    Nullable(Box<ZodSchema>),
    Default(Box<ZodSchema>),
    /// `.prefault()` (zod 4).
    Prefault(Box<ZodSchema>),
    Catch(Box<ZodSchema>),
    Branded(Box<ZodSchema>),
    Readonly(Box<ZodSchema>),
    /// `.refine()`, `.superRefine()`, `.check()`: a `ZodEffects` in zod 3, a check in zod 4.
    Refined(Box<ZodSchema>),
    /// `.transform(fn)`: a `ZodEffects` in zod 3, a pipe into a `ZodTransform` in zod 4.
    Transformed(Box<ZodSchema>),
    /// `z.preprocess(fn, schema)`: a `ZodEffects` in zod 3, a pipe out of a transform in zod 4.
    Preprocessed(Box<ZodSchema>),
    /// `z.transform(fn)` of zod 4 on its own.
    Transform,
    /// `.pipe(out)`, `z.codec(in, out)`, `z.stringbool()`.
    Pipe(Box<ZodSchema>, Box<ZodSchema>),
    /// `z.success(schema)` (zod 4).
    Success,
    /// `z.lazy(() => schema)`: the getter, called when the schema is converted.
    Lazy(Box<Value>),
    /// `z.json()` (zod 4): a recursive union of JSON values.
    Json,
}

impl ZodSchema {
    /// Counts the schema's nodes; false once `parts` runs out (see `values::MAX_VALUE_PARTS`).
    pub fn count_parts(&self, parts: &mut crate::values::Parts) -> bool {
        use ZodKind::*;
        parts.take(1)
            && match &self.kind {
                Array(inner) | Optional(inner) | NonOptional(inner) | Nullable(inner) | Default(inner)
                | Prefault(inner) | Catch(inner) | Branded(inner) | Readonly(inner) | Refined(inner)
                | Transformed(inner) | Preprocessed(inner) => inner.count_parts(parts),
                Object(fields) => fields.iter().all(|(_, schema)| schema.count_parts(parts)),
                Union(members) => members.iter().all(|member| member.count_parts(parts)),
                Tuple(items, rest) => {
                    items.iter().all(|item| item.count_parts(parts))
                        && rest.as_ref().is_none_or(|r| r.count_parts(parts))
                }
                Record { key, value } => key.count_parts(parts) && value.count_parts(parts),
                Pipe(input, output) => input.count_parts(parts) && output.count_parts(parts),
                Literal(values) => parts.take(values.len()),
                Enum(entries) | NativeEnum(entries) => parts.take(entries.len()),
                Lazy(getter) => getter.count_parts(parts),
                String | Number | NaN | BigInt | Boolean | Null | Any | Unknown | Never | TemplateLiteral
                | Unsupported(_) | Id(_) | Custom | Intersection | Transform | Success | Json => true,
            }
    }

    pub fn new(major: Option<ZodMajor>, kind: ZodKind) -> Self {
        Self { major, kind }
    }

    /// A schema that wraps this one, of the same major.
    pub fn wrap(self, wrap: impl FnOnce(Box<ZodSchema>) -> ZodKind) -> Self {
        let major = self.major;
        Self { major, kind: wrap(Box::new(self)) }
    }

    /// The zod class name, as convex-helpers' error messages give it.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            ZodKind::String => "ZodString",
            ZodKind::Number => "ZodNumber",
            ZodKind::NaN => "ZodNaN",
            ZodKind::BigInt => "ZodBigInt",
            ZodKind::Boolean => "ZodBoolean",
            ZodKind::Null => "ZodNull",
            ZodKind::Any => "ZodAny",
            ZodKind::Unknown => "ZodUnknown",
            ZodKind::Never => "ZodNever",
            ZodKind::TemplateLiteral => "ZodTemplateLiteral",
            ZodKind::Unsupported(name) => name,
            ZodKind::Id(_) => "Zid",
            ZodKind::Custom => "ZodCustom",
            ZodKind::Array(_) => "ZodArray",
            ZodKind::Object(_) => "ZodObject",
            ZodKind::Union(_) => "ZodUnion",
            ZodKind::Intersection => "ZodIntersection",
            ZodKind::Tuple(..) => "ZodTuple",
            ZodKind::Literal(_) => "ZodLiteral",
            ZodKind::Enum(_) => "ZodEnum",
            ZodKind::NativeEnum(_) => "ZodNativeEnum",
            ZodKind::Record { .. } => "ZodRecord",
            ZodKind::Optional(_) => "ZodOptional",
            ZodKind::NonOptional(_) => "ZodNonOptional",
            ZodKind::Nullable(_) => "ZodNullable",
            ZodKind::Default(_) => "ZodDefault",
            ZodKind::Prefault(_) => "ZodPrefault",
            ZodKind::Catch(_) => "ZodCatch",
            ZodKind::Branded(_) => "ZodBranded",
            ZodKind::Readonly(_) => "ZodReadonly",
            ZodKind::Refined(_) | ZodKind::Transformed(_) | ZodKind::Preprocessed(_) => "ZodEffects",
            ZodKind::Transform => "ZodTransform",
            ZodKind::Pipe(..) => "ZodPipe",
            ZodKind::Success => "ZodSuccess",
            ZodKind::Lazy(_) => "ZodLazy",
            ZodKind::Json => "ZodJSONSchema",
        }
    }
}
