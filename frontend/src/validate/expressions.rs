//! Expressions in the schema (policies, permission conditions, checks, index conditions), parsed
//! and type-checked by forge-expr. Its errors keep their codes, messages, labels and help lines;
//! their spans, relative to the decoded string, are mapped onto the string in the file.

use forge_expr::{Context, ExprError};
use forge_schemas::{Condition, Ir};

use crate::validate::decls::ExprSource;
use crate::validate::report::{Cx, Report};

/// The typed condition of `expr` on `model`, or `None` after reporting every error.
pub fn condition(
    cx: &mut Cx,
    ir: &Ir,
    model: &str,
    expr: ExprSource<'_>,
    context: Context,
) -> Option<Condition> {
    let text = expr.text();
    let typed =
        forge_expr::parse(text).and_then(|syntax| forge_expr::check(&syntax, ir, model, context));
    match typed {
        Ok(typed) => Some(Condition {
            source: text.to_string(),
            expr: typed,
        }),
        Err(errors) => {
            for error in errors {
                report(cx, expr, error);
            }
            None
        }
    }
}

fn report(cx: &mut Cx, expr: ExprSource<'_>, error: ExprError) {
    let mut report =
        Report::error(error.code, error.message).at_expr(expr, error.span, error.label);
    if let Some(help) = error.help {
        report = report.help(help);
    }
    cx.emit(report);
}
