//! The stable codes of every [`crate::ExprError`].

/// A syntax error: unexpected token, unclosed parenthesis or string, trailing input.
pub const SYNTAX: &str = "forge::expr-syntax";
/// A backtick template literal.
pub const TEMPLATE_LITERAL: &str = "forge::template-literal";
/// `=`, `+=` and the other assignment operators.
pub const ASSIGNMENT: &str = "forge::assignment";
/// `+`, `-`, `*`, `/`, `%`, `**` and other operators the language does not have.
pub const ARITHMETIC: &str = "forge::arithmetic";
/// A field or relation that the model does not have.
pub const UNKNOWN_FIELD: &str = "forge::unknown-field";
/// A bare name that is not `record`, `user` or a lambda variable.
pub const UNKNOWN_IDENTIFIER: &str = "forge::unknown-identifier";
/// A call other than `includes`, `some` and `every` where they apply.
pub const UNKNOWN_FUNCTION: &str = "forge::unknown-function";
/// The wrong number or kind of arguments to `includes`, `some` or `every`.
pub const ARGUMENTS: &str = "forge::arguments";
/// `user.<attr>` for an attribute the identity block does not declare.
pub const UNDECLARED_IDENTITY_ATTRIBUTE: &str = "forge::undeclared-identity-attribute";
/// `user.roles.includes('x')` with an undeclared role.
pub const UNDECLARED_ROLE: &str = "forge::undeclared-role";
/// `user.claims.includes('x')` with an undeclared claim.
pub const UNDECLARED_CLAIM: &str = "forge::undeclared-claim";
/// A comparison, `in` or `includes` between incompatible types.
pub const TYPE_MISMATCH: &str = "forge::type-mismatch";
/// A string literal that is not a valid uuid, enum member, date or datetime where one is needed.
pub const INVALID_LITERAL: &str = "forge::invalid-literal";
/// A non-boolean where a boolean is needed.
pub const EXPECTED_BOOLEAN: &str = "forge::expected-boolean";
/// A relation, `record`, `user` or a lambda variable used as a value.
pub const NOT_A_VALUE: &str = "forge::not-a-value";
/// More than four belongs-to hops.
pub const TOO_MANY_HOPS: &str = "forge::too-many-hops";
/// A lambda variable that shadows `record`, `user` or an enclosing variable.
pub const SHADOWED_VARIABLE: &str = "forge::shadowed-variable";
/// Something a check or index condition cannot use: `user`, relations, quantifiers.
pub const CHECK_CONTEXT: &str = "forge::check-context";
/// The model (or a relation's target) is not in the IR.
pub const UNKNOWN_MODEL: &str = "forge::unknown-model";
