//! KDL document -> AST: copies names and values, and hands out [`SpanId`]s in the fixed
//! traversal order that [`crate::ast`] documents.

use kdl::{KdlDocument, KdlEntry, KdlIdentifier, KdlNode, KdlValue};

use crate::ast::{Arg, Ident, Node, Prop, SchemaFile, Value};
use crate::parse::string_map::string_content;
use crate::span::SpanTable;

/// Lowers a parsed document, recording every span in `spans`.
pub fn lower(doc: &KdlDocument, text: &str, spans: &mut SpanTable) -> SchemaFile {
    SchemaFile {
        nodes: doc.nodes().iter().map(|n| node(n, text, spans)).collect(),
    }
}

fn node(n: &KdlNode, text: &str, spans: &mut SpanTable) -> Node {
    let span = push(spans, n.span());
    let name = ident(n.name(), spans);
    let annotation = n.ty().map(|t| ident(t, spans));
    let args = n
        .entries()
        .iter()
        .filter(|e| e.name().is_none())
        .map(|e| arg(e, text, spans))
        .collect();
    let props = n
        .entries()
        .iter()
        .filter_map(|e| {
            let key = e.name()?;
            let span = push(spans, e.span());
            let key = ident(key, spans);
            Some(Prop {
                span,
                key,
                value: value_of_prop(e, text, spans),
            })
        })
        .collect();
    let children = n
        .children()
        .map(|doc| doc.nodes().iter().map(|c| node(c, text, spans)).collect());
    Node {
        span,
        name,
        annotation,
        args,
        props,
        children,
    }
}

fn ident(i: &KdlIdentifier, spans: &mut SpanTable) -> Ident {
    Ident {
        text: i.value().to_string(),
        span: push(spans, i.span()),
    }
}

/// A positional argument: its span is the whole entry, annotation included.
fn arg(e: &KdlEntry, text: &str, spans: &mut SpanTable) -> Arg {
    let span = push(spans, e.span());
    finish_arg(e, span, text, spans)
}

/// A property's value: its span is the value only (after `key=` and any annotation).
fn value_of_prop(e: &KdlEntry, text: &str, spans: &mut SpanTable) -> Arg {
    let (start, len) = value_range(e, text);
    let span = spans.push(start, len);
    finish_arg(e, span, text, spans)
}

fn finish_arg(e: &KdlEntry, span: crate::SpanId, text: &str, spans: &mut SpanTable) -> Arg {
    let annotation = e.ty().map(|t| ident(t, spans));
    let (start, len) = value_range(e, text);
    let value = value(e.value());
    let (content, text_map) = match &value {
        Value::String(decoded) => {
            let (offset, content_len, map) = string_content(&text[start..start + len], decoded);
            (spans.push(start + offset, content_len), map)
        }
        _ => (spans.push(start, len), Vec::new()),
    };
    Arg {
        span,
        annotation,
        content,
        value,
        text_map,
    }
}

/// The byte range of an entry's value as written: its representation sits at the end of the
/// entry's span.
fn value_range(e: &KdlEntry, text: &str) -> (usize, usize) {
    let (start, len) = (e.span().offset(), e.span().len());
    let written = text.get(start..start + len).unwrap_or("");
    match e
        .format()
        .map(|f| f.value_repr.as_str())
        .filter(|r| !r.is_empty())
    {
        Some(repr) => match written.rfind(repr) {
            Some(at) => (start + at, repr.len()),
            None => (start, len),
        },
        None => (start, len),
    }
}

fn value(v: &KdlValue) -> Value {
    match v {
        KdlValue::String(s) => Value::String(s.clone()),
        KdlValue::Integer(i) => Value::Integer(i.to_string()),
        KdlValue::Float(f) => Value::Float(f.to_string()),
        KdlValue::Bool(b) => Value::Bool(*b),
        KdlValue::Null => Value::Null,
    }
}

fn push(spans: &mut SpanTable, span: miette::SourceSpan) -> crate::SpanId {
    spans.push(span.offset(), span.len())
}
