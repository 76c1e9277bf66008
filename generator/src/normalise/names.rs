//! Naming rules: spec names become Rust identifiers, once, here.
//!
//! Case conversion uses `heck`. Whatever comes out is made a valid identifier (a leading
//! digit gets a prefix, other characters are dropped by the case conversion, keywords
//! get a raw-identifier-free suffix) and then unique within its scope by a numeric suffix,
//! in the order names are met, so the result is deterministic.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, 2021 edition) that cannot be identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "gen", "union",
];

/// The one registry of names the generated crate occupies, by scope. A spec name never
/// takes one of these (an operationId `send`, a parameter `timeout`, a schema `Option`);
/// `tests/tests/names_registry.rs` parses the emitted code and the runtime to prove that
/// every method they define is here.
pub mod reserved {
    /// Type names in `types` (and so in `errors`, whose enums name them): prelude and std
    /// names the generated modules use unqualified (a type of the same name would shadow
    /// them), and what the crate root exports.
    pub const TYPE_NAMES: &[&str] = &[
        "Client",
        "ClientBuilder",
        "Error",
        "RawResponse",
        "InvalidRequest",
        "BuildError",
        "Request",
        "Operation",
        "Call",
        "Response",
        "RetryPolicy",
        "Observer",
        "HashMap",
        "BTreeMap",
        "Value",
        "Uuid",
        "DateTime",
        "NaiveDate",
        "Utc",
        "Result",
        "Option",
        "Some",
        "None",
        "Ok",
        "Err",
        "String",
        "Vec",
        "Box",
        "Default",
        "From",
        "Into",
        "Clone",
        "Copy",
        "Send",
        "Sync",
        "Sized",
        "Self",
    ];

    /// Names the `operations` module imports or declares, which an operation's parameters
    /// struct or outcome enum must not take (`E` is the error alias inside `decode`).
    pub const OPERATIONS_MODULE: &[&str] = &[
        "Client",
        "Error",
        "Request",
        "Operation",
        "Call",
        "RawResponse",
        "InvalidRequest",
        "Style",
        "E",
        "Future",
        "IntoFuture",
        "Pin",
    ];

    /// Methods of `Client` besides one per operation.
    /// (`new` too: clippy expects `new` to make a `Self`.) And those of the mock kit's
    /// `MockServer` (`start`, `verify`), which has one method per operation too.
    pub const CLIENT_METHODS: &[&str] = &[
        "builder", "base_url", "clone", "fmt", "core", "new", "start", "verify",
    ];

    /// Methods every request builder (`Request<'_, P>`) has, in the runtime or emitted for
    /// some operations (`into_stream`), besides one setter per optional parameter; and the
    /// fields of a parameters struct besides one per parameter (`body`).
    pub const REQUEST_METHODS: &[&str] = &[
        "send",
        "send_with_response",
        "send_stream",
        "into_parts",
        "retry_policy",
        "timeout",
        "max_response_bytes",
        "into_future",
        "into_stream",
        "clone",
        "fmt",
        "params",
        "options",
        "core",
        "body",
        "body_content_type",
        "body_media_type",
        "validate",
        "build",
        "decode",
        // The mock kit's expectation (`mock::Expect`), which has one method per parameter too.
        "responds",
        "responds_error",
        "responds_status",
        "responds_raw",
    ];

    /// Methods and fields of `ClientBuilder` besides one setter per security scheme.
    pub const CLIENT_BUILDER_METHODS: &[&str] = &[
        "base_url",
        "http",
        "http_client",
        "default_header",
        "retry_policy",
        "timeout",
        "connect_timeout",
        "observer",
        "validate_requests",
        "max_response_bytes",
        "build",
        "config",
        "bearer_token",
        "basic_auth",
        "builder",
        "default",
        "fmt",
    ];
}

/// A spec name as an UpperCamelCase type or variant name.
pub fn upper_camel(raw: &str) -> String {
    let converted = ascii(raw).to_upper_camel_case();
    let converted: String = converted
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if converted.is_empty() {
        return "Empty".to_string();
    }
    if converted.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("V{converted}");
    }
    if KEYWORDS.contains(&converted.as_str()) {
        return format!("{converted}Value");
    }
    converted
}

/// A spec name as a snake_case field, method or argument name.
pub fn snake(raw: &str) -> String {
    let converted = ascii(raw).to_snake_case();
    let converted: String = converted
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if converted.is_empty() || converted.chars().all(|c| c == '_') {
        return "value".to_string();
    }
    if converted.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("n_{converted}");
    }
    if KEYWORDS.contains(&converted.as_str()) {
        return format!("{converted}_");
    }
    converted
}

/// Letters outside ASCII transliterated (`Café` -> `Cafe`, `名前` -> `Ming Qian`,
/// `🚀` -> `rocket`) rather than dropped, so a name keeps its meaning in Rust.
fn ascii(raw: &str) -> String {
    if raw.is_ascii() {
        raw.to_string()
    } else {
        deunicode::deunicode_with_tofu(raw, " ")
    }
}

/// Names already taken in one scope (a module's types, a struct's fields, ...).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    used: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            used: reserved.iter().map(|name| (*name).to_string()).collect(),
        }
    }

    /// Takes `candidate`, or `candidate2`, `candidate3`, ... when it is taken.
    pub fn claim(&mut self, candidate: String) -> String {
        if self.used.insert(candidate.clone()) {
            return candidate;
        }
        let separator = if candidate.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let mut counter = 2usize;
        loop {
            let numbered = format!("{candidate}{separator}{counter}");
            if self.used.insert(numbered.clone()) {
                return numbered;
            }
            counter += 1;
        }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_valid_and_unique() {
        assert_eq!(upper_camel("deny_all"), "DenyAll");
        assert_eq!(upper_camel("NotReady"), "NotReady");
        assert_eq!(upper_camel("1st-class"), "V1stClass");
        assert_eq!(upper_camel(""), "Empty");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("orgId"), "org_id");
        assert_eq!(snake("$ref"), "ref_");
        assert_eq!(snake("2fa"), "n_2fa");
        assert_eq!(upper_camel("Café"), "Cafe");
        assert_eq!(snake("obtenirÉlément"), "obtenir_element");
        assert_eq!(upper_camel("🚀"), "Rocket");
        let mut scope = Scope::with_reserved(&["Client"]);
        assert_eq!(scope.claim("Client".into()), "Client2");
        assert_eq!(scope.claim("Client".into()), "Client3");
        assert_eq!(scope.claim("V1".into()), "V1");
        assert_eq!(scope.claim("V1".into()), "V1_2");
    }
}
