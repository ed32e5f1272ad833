//! One generation request, as the generate function sees it: the protocol's request with helpers
//! for the model of a model-scope request and for typed options.

use forge_schemas::{Ir, Model, RequestScope};
use serde::de::DeserializeOwned;

/// A decoded request: the generator's name in forge.kdl, its options, the scope and the IR (the
/// whole IR for a project scope; for a model scope, the slice that model needs).
#[derive(Clone, Debug, PartialEq)]
pub struct Request(forge_schemas::Request);

impl From<forge_schemas::Request> for Request {
    fn from(request: forge_schemas::Request) -> Self {
        Request(request)
    }
}

impl Request {
    /// The protocol's request, every field of it.
    pub fn raw(&self) -> &forge_schemas::Request {
        &self.0
    }

    /// The generator's name in forge.kdl (which may differ from the name it describes).
    pub fn generator(&self) -> &str {
        &self.0.generator
    }

    pub fn scope(&self) -> &RequestScope {
        &self.0.scope
    }

    pub fn ir(&self) -> &Ir {
        &self.0.ir
    }

    /// The name of the model a model-scope request is about.
    pub fn model_name(&self) -> Option<&str> {
        match &self.0.scope {
            RequestScope::Model { model } => Some(model),
            RequestScope::Project => None,
        }
    }

    /// The model a model-scope request is about, in full (other models in its IR are stubs).
    pub fn model(&self) -> Result<&Model, String> {
        let name = self.model_name().ok_or_else(|| {
            "this is a project-scope request; only a model-scope request names a model".to_string()
        })?;
        self.0
            .ir
            .model(name)
            .ok_or_else(|| format!("the request is about model `{name}`, which its IR lacks"))
    }

    /// The `options` block of forge.kdl, decoded. Give `T` `#[serde(deny_unknown_fields)]` to
    /// refuse options it does not know.
    pub fn options<T: DeserializeOwned>(&self) -> Result<T, String> {
        T::deserialize(&self.0.options).map_err(|e| {
            format!(
                "the `options` of generator `{}` in forge.kdl are not valid: {e}",
                self.0.generator
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use forge_schemas::PROTOCOL_VERSION;
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    fn request(scope: RequestScope, options: serde_json::Value) -> Request {
        let mut ir = Ir::empty();
        ir.models.push(
            serde_json::from_value(json!({
                "name": "Post", "table": "post", "fields": [], "relations": [],
                "primary_key": {"name": "post_pkey", "columns": []}, "uniques": [],
                "foreign_keys": [], "indexes": [], "checks": [], "policies": [],
                "permissions": [], "hooks": []
            }))
            .unwrap(),
        );
        Request::from(forge_schemas::Request {
            protocol: PROTOCOL_VERSION,
            generator: "docs".into(),
            options,
            scope,
            ir,
        })
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Options {
        title: String,
    }

    #[test]
    fn a_model_scope_request_gives_its_model() {
        let post = RequestScope::Model {
            model: "Post".into(),
        };
        let r = request(post, json!({}));
        assert_eq!(r.model().unwrap().table, "post");
        assert_eq!(r.model_name(), Some("Post"));
        let other = request(
            RequestScope::Model {
                model: "Gone".into(),
            },
            json!({}),
        );
        assert_eq!(
            other.model().unwrap_err(),
            "the request is about model `Gone`, which its IR lacks"
        );
        let project = request(RequestScope::Project, json!({}));
        assert!(project.model().unwrap_err().contains("project-scope"));
        assert_eq!(project.model_name(), None);
    }

    #[test]
    fn options_decode_into_a_type_or_say_why_not() {
        let good = request(RequestScope::Project, json!({"title": "Blog"}));
        assert_eq!(
            good.options::<Options>().unwrap(),
            Options {
                title: "Blog".into()
            }
        );
        let bad = request(RequestScope::Project, json!({"title": 3, "x": 1}));
        let err = bad.options::<Options>().unwrap_err();
        assert!(
            err.starts_with("the `options` of generator `docs` in forge.kdl are not valid: "),
            "{err}"
        );
    }
}
