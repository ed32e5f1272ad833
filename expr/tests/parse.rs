//! The parser: precedence, spans, literals, and the syntax the language rejects.

use forge_expr::syntax::{LiteralSyntax, SyntaxKind};
use forge_expr::{SyntaxExpr, parse};

/// A compact rendering: `(op left right)`, `a.b`, `call(args)`, literals as written canonically.
fn sexp(e: &SyntaxExpr) -> String {
    match &e.kind {
        SyntaxKind::Literal { value } => match value {
            LiteralSyntax::Null => "null".into(),
            LiteralSyntax::Bool(b) => b.to_string(),
            LiteralSyntax::Number(n) => n.clone(),
            LiteralSyntax::String(s) => format!("{s:?}"),
        },
        SyntaxKind::Ident { name } => name.clone(),
        SyntaxKind::Member { object, name } => format!("{}.{}", sexp(object), name.text),
        SyntaxKind::Call { callee, args } => {
            format!(
                "{}({})",
                sexp(callee),
                args.iter().map(sexp).collect::<Vec<_>>().join(", ")
            )
        }
        SyntaxKind::Lambda { param, body } => format!("{} => {}", param.text, sexp(body)),
        SyntaxKind::Not { operand } => format!("(! {})", sexp(operand)),
        SyntaxKind::Binary {
            op, left, right, ..
        } => format!("({} {} {})", op.symbol(), sexp(left), sexp(right)),
        SyntaxKind::In { value, list } => {
            format!(
                "(in {} [{}])",
                sexp(value),
                list.iter().map(sexp).collect::<Vec<_>>().join(", ")
            )
        }
    }
}

fn tree(src: &str) -> String {
    sexp(&parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}")))
}

/// Every error as `code @start+len `text`: message (help: ...)`.
fn errors(src: &str) -> Vec<String> {
    let errors = parse(src).expect_err(src);
    errors
        .iter()
        .map(|e| {
            let (start, len) = (e.span.0 as usize, e.span.1 as usize);
            let help = e
                .help
                .as_deref()
                .map(|h| format!(" (help: {h})"))
                .unwrap_or_default();
            format!(
                "{} @{start}+{len} `{}`: {}{help}",
                e.code,
                &src[start..start + len],
                e.message
            )
        })
        .collect()
}

#[test]
fn or_binds_looser_than_and() {
    assert_eq!(tree("a || b && c || d"), "(|| (|| a (&& b c)) d)");
}

#[test]
fn equality_binds_looser_than_relational_and_in() {
    assert_eq!(
        tree("a == b < c && d != e in [1, 2]"),
        "(&& (== a (< b c)) (!= d (in e [1, 2])))"
    );
}

#[test]
fn not_binds_tighter_than_comparison() {
    assert_eq!(tree("!a == b"), "(== (! a) b)");
    assert_eq!(tree("!(a == b)"), "(! (== a b))");
    assert_eq!(tree("!!a.b"), "(! (! a.b))");
}

#[test]
fn member_access_and_calls_bind_tightest() {
    assert_eq!(
        tree(
            "!record.comments.some(c => c.author.posts.every((p) => p.published)) || user.roles.includes('admin')"
        ),
        "(|| (! record.comments.some(c => c.author.posts.every(p => p.published))) user.roles.includes(\"admin\"))"
    );
}

#[test]
fn strict_equality_is_equality() {
    assert_eq!(tree("a === b && c !== d"), "(&& (== a b) (!= c d))");
}

#[test]
fn keywords_are_field_names_after_a_dot() {
    assert_eq!(
        tree("record.in == record.null"),
        "(== record.in record.null)"
    );
}

#[test]
fn literals() {
    assert_eq!(
        tree(
            r#"x in ['it\'s', "say \"hi\"", 'a\\b\n', 10.0, -12, +7, 007.50, -0, true, false, null, ]"#
        ),
        r#"(in x ["it's", "say \"hi\"", "a\\b\n", 10, -12, 7, 7.5, 0, true, false, null])"#
    );
}

#[test]
fn spans_cover_the_source_of_each_node() {
    let src = "(record.a || b) && !c.d(x => 1)";
    let e = parse(src).unwrap();
    let text = |span: (u32, u32)| &src[span.0 as usize..(span.0 + span.1) as usize];
    assert_eq!(text(e.span), src);
    let SyntaxKind::Binary {
        left,
        right,
        op_span,
        ..
    } = &e.kind
    else {
        panic!()
    };
    assert_eq!(text(*op_span), "&&");
    assert_eq!(text(left.span), "(record.a || b)");
    let SyntaxKind::Binary { left: a, .. } = &left.kind else {
        panic!()
    };
    assert_eq!(text(a.span), "record.a");
    let SyntaxKind::Member { name, .. } = &a.kind else {
        panic!()
    };
    assert_eq!((text(name.span), name.span), ("a", (8, 1)));
    assert_eq!(text(right.span), "!c.d(x => 1)");
    let SyntaxKind::Not { operand } = &right.kind else {
        panic!()
    };
    let SyntaxKind::Call { args, .. } = &operand.kind else {
        panic!()
    };
    assert_eq!(text(args[0].span), "x => 1");
    assert_eq!(e.span, (0, 31));
}

#[test]
fn spans_are_bytes() {
    let e = parse("'ü' == x").unwrap();
    let SyntaxKind::Binary { right, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(right.span, (8, 1));
}

#[test]
fn negative_numbers_span_the_sign() {
    let e = parse("-12").unwrap();
    assert_eq!(e.span, (0, 3));
    assert_eq!(
        e.kind,
        SyntaxKind::Literal {
            value: LiteralSyntax::Number("-12".into())
        }
    );
}

#[test]
fn the_tree_is_serializable() {
    let e = parse("record.a in [1, 'b'] && !x.y(z => z.w == null)").unwrap();
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(serde_json::from_str::<SyntaxExpr>(&json).unwrap(), e);
}

#[test]
fn unexpected_token() {
    assert_eq!(
        errors("record.a == == 1"),
        ["forge::expr-syntax @12+2 `==`: expected an expression, found `==`"]
    );
    assert_eq!(
        errors("record."),
        ["forge::expr-syntax @7+0 ``: expected a name after `.`, found the end of the expression"]
    );
    assert_eq!(
        errors(""),
        ["forge::expr-syntax @0+0 ``: expected an expression, found the end of the expression"]
    );
    assert_eq!(
        errors("f(a b)"),
        ["forge::expr-syntax @4+1 `b`: expected `,` or `)`, found identifier `b`"]
    );
}

#[test]
fn unclosed_parenthesis_points_at_the_opening() {
    assert_eq!(
        errors("(a || (b && c)"),
        ["forge::expr-syntax @0+1 `(`: unclosed parenthesis"]
    );
    assert_eq!(
        errors("f(a, "),
        ["forge::expr-syntax @5+0 ``: expected an expression, found the end of the expression"]
    );
    assert_eq!(
        errors("x in [1, 2"),
        ["forge::expr-syntax @5+1 `[`: unclosed list"]
    );
    assert_eq!(
        errors("(a b)"),
        ["forge::expr-syntax @3+1 `b`: expected `)`, found identifier `b`"]
    );
}

#[test]
fn unclosed_string() {
    assert_eq!(
        errors("record.a == 'abc"),
        ["forge::expr-syntax @12+4 `'abc`: unclosed string (help: end the string with ')"]
    );
}

#[test]
fn trailing_input() {
    assert_eq!(
        errors("record.a record.b"),
        [
            "forge::expr-syntax @9+6 `record`: expected the end of the expression, found identifier `record` (help: combine conditions with `&&` or `||`)"
        ]
    );
    assert_eq!(
        errors("x => x.a"),
        [
            "forge::expr-syntax @2+2 `=>`: expected the end of the expression, found `=>` (help: a lambda (`x => ...`) is only allowed as the argument of `some` or `every`)"
        ]
    );
}

#[test]
fn in_needs_a_list() {
    assert_eq!(
        errors("'admin' in user.roles"),
        [
            "forge::expr-syntax @11+4 `user`: expected `[` after `in`, found identifier `user` (help: write `value in [a, b]`; for roles and claims, write `user.roles.includes('admin')`)"
        ]
    );
    assert_eq!(
        errors("[1] == x"),
        [
            "forge::expr-syntax @0+1 `[`: a list is only allowed after `in` (help: write `value in [a, b]`)"
        ]
    );
}

#[test]
fn unknown_characters_and_escapes() {
    assert_eq!(
        errors("record.a == #1"),
        [
            "forge::expr-syntax @12+1 `#`: unexpected character `#` (help: expressions use `record.<field>`, `user.<attribute>`, literals, `&&`, `||`, `!`, comparisons and `in [..]`)"
        ]
    );
    assert_eq!(
        errors(r"x == 'a\qb'"),
        [
            r#"forge::expr-syntax @7+2 `\q`: unknown escape `\q` (help: the escapes are \\ \' \" \n and \t)"#
        ]
    );
}

#[test]
fn template_literals_are_rejected() {
    assert_eq!(
        errors("record.title == `post ${record.id}`"),
        [
            "forge::template-literal @16+19 ``post ${record.id}``: template literals are not supported (help: write a plain string in single or double quotes; expressions cannot build strings)"
        ]
    );
    assert_eq!(errors("x == `open").len(), 2);
}

#[test]
fn assignments_are_rejected_and_parsing_goes_on() {
    assert_eq!(
        errors("record.a = 1 && record.b += 2"),
        [
            "forge::assignment @9+1 `=`: assignment `=` is not allowed in an expression (help: to compare, write `==`)",
            "forge::assignment @25+2 `+=`: assignment `+=` is not allowed in an expression (help: expressions compare values; they cannot change them)",
        ]
    );
}

#[test]
fn arithmetic_is_rejected_and_parsing_goes_on() {
    let help = "expressions compare values and combine conditions with `&&`, `||` and `!`; they have no arithmetic";
    assert_eq!(
        errors("record.views + 1 > 10 && -record.views * 2 < 0 || a ?? b"),
        [
            format!(
                "forge::arithmetic @13+1 `+`: the operator `+` is not supported (help: {help})"
            ),
            format!(
                "forge::arithmetic @25+1 `-`: the operator `-` is not supported (help: {help})"
            ),
            format!(
                "forge::arithmetic @39+1 `*`: the operator `*` is not supported (help: {help})"
            ),
            format!(
                "forge::arithmetic @52+2 `??`: the operator `??` is not supported (help: {help})"
            ),
        ]
    );
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}a{}", "(".repeat(63), ")".repeat(63));
    assert_eq!(tree(&deep), "a");
    let too_deep = format!("{}a{}", "(".repeat(64), ")".repeat(64));
    assert_eq!(
        errors(&too_deep),
        [
            "forge::expr-syntax @64+1 `a`: the expression nests too deeply (help: write at most 64 levels of parentheses, `!`, calls, `.` and comparisons)"
        ]
    );
}

#[test]
fn long_chains_are_fine() {
    let chain = vec!["a"; 10_000].join(" && ");
    assert!(parse(&chain).is_ok());
}

/// Runs `f` on a thread with a small stack, so that recursion once per link of a long chain shows
/// as a stack overflow (an abort of the whole test binary) rather than passing by luck.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

/// Found by fuzzing: member, call and comparison chains made trees as deep as they were long, and
/// the checker (and drop) recursed once per link, so `1==1==...` of a few hundred links overflowed
/// a worker thread's stack. Their links now count as levels of nesting.
#[test]
fn member_call_and_comparison_chains_are_bounded() {
    let chains = [
        ("a", ".a"),
        ("a", ".f()"),
        ("a", "(1)"),
        ("1", " == 1"),
        ("1", " != 1"),
        ("1", " < 1"),
        ("1", " >= 1"),
        ("1", " in [1]"),
    ];
    for (first, link) in chains {
        assert!(
            parse(&format!("{first}{}", link.repeat(30))).is_ok(),
            "{link}"
        );
        let long = format!("{first}{}", link.repeat(100_000));
        on_small_stack(move || {
            let errors = parse(&long).expect_err(&long[..20]);
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].message, "the expression nests too deeply");
        });
    }
}

/// Found by fuzzing: `a = b = c = ...` recursed once per `=`.
#[test]
fn assignment_chains_do_not_recurse() {
    on_small_stack(|| {
        let src = format!("{}a", "a = ".repeat(50_000));
        let errors = parse(&src).expect_err("assignments");
        assert_eq!(errors.len(), 50_000);
        assert!(errors.iter().all(|e| e.code == "forge::assignment"));
    });
}

/// `&&` and `||` chains stay unbounded, so dropping their (left-deep) tree must not recurse.
#[test]
fn dropping_a_long_or_chain_does_not_recurse() {
    on_small_stack(|| {
        let chain = vec!["a"; 300_000].join("||");
        drop(parse(&chain).expect("a long chain"));
    });
}
