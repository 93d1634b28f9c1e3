//! TypeScript annotations that say which table a value belongs to: `Id<"tasks">`,
//! `Doc<"users">` (also `GenericId`, arrays and `| null` of them), on parameters, variables and
//! `as` casts. They refine what the walker knows; they never make a table up.

use swc_ecma_ast::{Expr, TsEntityName, TsKeywordTypeKind, TsLit, TsType, TsTypeElement, TsUnionOrIntersectionType};

use super::abs::Abs;
use super::Provenance;

/// A value as its annotation types it, when the annotation names a table the value lacks.
pub(super) fn refine(value: Abs, annotation: &TsType) -> Abs {
    let Some((kind, table)) = named_table(annotation) else { return value };
    let prov = value.provenance();
    match (kind, value) {
        (Kind::Id, Abs::Id { table: None, prov } | Abs::Ids { table: None, prov }) => Abs::Id { table: Some(table), prov },
        (Kind::Id, value @ (Abs::Id { .. } | Abs::Ids { .. })) => value,
        (Kind::Id, _) => Abs::Id { table: Some(table), prov },
        (Kind::Ids, Abs::Ids { table: None, prov }) => Abs::Ids { table: Some(table), prov },
        (Kind::Ids, value @ Abs::Ids { .. }) => value,
        (Kind::Ids, _) => Abs::Ids { table: Some(table), prov },
        (Kind::Doc, value @ Abs::Doc(_)) if value.table().is_some() => value,
        (Kind::Doc, _) => Abs::doc(Some(table), Provenance::Unknown),
        (Kind::Docs, value @ Abs::Docs(_)) if value.table().is_some() => value,
        (Kind::Docs, _) => Abs::docs(Some(table), Provenance::Unknown, super::LoopBound::Unknown),
    }
}

/// The type of a member of an object type literal (`{ id: Id<"tasks"> }`).
pub(super) fn member<'t>(annotation: &'t TsType, key: &str) -> Option<&'t TsType> {
    let TsType::TsTypeLit(literal) = annotation else { return None };
    literal.members.iter().find_map(|member| match member {
        TsTypeElement::TsPropertySignature(property) => {
            let name = match &*property.key {
                Expr::Ident(ident) => ident.sym.to_string(),
                Expr::Lit(swc_ecma_ast::Lit::Str(s)) => s.value.to_string_lossy().into_owned(),
                _ => return None,
            };
            (name == key).then(|| property.type_ann.as_deref().map(|a| &*a.type_ann)).flatten()
        }
        _ => None,
    })
}

#[derive(Clone, Copy)]
enum Kind {
    Id,
    Ids,
    Doc,
    Docs,
}

/// `Id<"t">`, `Doc<"t">`, `Id<"t">[]`, `Array<Doc<"t">>`, `Doc<"t"> | null`, ...
fn named_table(annotation: &TsType) -> Option<(Kind, String)> {
    match annotation {
        TsType::TsTypeRef(reference) => {
            let TsEntityName::Ident(name) = &reference.type_name else { return None };
            let first = reference.type_params.as_ref()?.params.first()?;
            match name.sym.as_str() {
                "Id" | "GenericId" => Some((Kind::Id, string_literal(first)?)),
                "Doc" => Some((Kind::Doc, string_literal(first)?)),
                "Array" | "ReadonlyArray" => match named_table(first)? {
                    (Kind::Id, table) => Some((Kind::Ids, table)),
                    (Kind::Doc, table) => Some((Kind::Docs, table)),
                    _ => None,
                },
                _ => None,
            }
        }
        TsType::TsArrayType(array) => match named_table(&array.elem_type)? {
            (Kind::Id, table) => Some((Kind::Ids, table)),
            (Kind::Doc, table) => Some((Kind::Docs, table)),
            _ => None,
        },
        TsType::TsUnionOrIntersectionType(TsUnionOrIntersectionType::TsUnionType(union)) => {
            let mut named = union.types.iter().filter(|t| !is_nullish(t)).map(|t| named_table(t));
            let first = named.next()??;
            named.next().is_none().then_some(first)
        }
        TsType::TsParenthesizedType(inner) => named_table(&inner.type_ann),
        TsType::TsTypeOperator(operator) => named_table(&operator.type_ann),
        _ => None,
    }
}

fn string_literal(annotation: &TsType) -> Option<String> {
    match annotation {
        TsType::TsLitType(literal) => match &literal.lit {
            TsLit::Str(s) => Some(s.value.to_string_lossy().into_owned()),
            _ => None,
        },
        _ => None,
    }
}

fn is_nullish(annotation: &TsType) -> bool {
    matches!(annotation, TsType::TsKeywordType(k) if matches!(k.kind, TsKeywordTypeKind::TsNullKeyword | TsKeywordTypeKind::TsUndefinedKeyword))
}
