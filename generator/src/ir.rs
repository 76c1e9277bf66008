//! The intermediate form: what the client needs, with OpenAPI's spellings normalised away.
//!
//! Every name here is already a valid, collision-free Rust identifier; every type is
//! either primitive or refers to a [`TypeDef`] by name; nullability is one flag however
//! the spec spelled it. The emitter only translates this to tokens.

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `servers[0].url`, the default base URL.
    pub default_server: Option<String>,
    /// Authentication schemes the client can send, from `components.securitySchemes`.
    pub auth: Vec<AuthScheme>,
    /// Named types, in a deterministic order (components first, in spec order).
    pub types: Vec<TypeDef>,
    /// Operations, in spec order (paths, then methods in a fixed order).
    pub operations: Vec<Operation>,
}

/// How the client authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthScheme {
    /// `type: http, scheme: bearer`: an `Authorization: Bearer <token>` header.
    Bearer {
        /// The scheme's name in `components.securitySchemes`.
        name: String,
        /// `bearerFormat`, e.g. `JWT`.
        format: Option<String>,
        /// The scheme's description.
        description: Option<String>,
    },
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name (UpperCamelCase, unique).
    pub name: String,
    /// JSON pointer of the schema it was made from.
    pub origin: String,
    /// The schema's title/description.
    pub docs: Option<String>,
    /// Its shape.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A JSON object with known properties.
    Struct(Struct),
    /// A string enum with a catch-all for values the spec does not list.
    StringEnum(StringEnum),
    /// A named schema that is another type (`type: string`, an array, a `$ref`):
    /// a newtype would add ceremony for nothing, so it is a type alias.
    Alias(TypeRef),
}

/// A JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Properties, in spec order.
    pub fields: Vec<Field>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON property name.
    pub json_name: String,
    /// The Rust field name (snake_case, unique in the struct, not a keyword).
    pub rust_name: String,
    /// The property's description.
    pub docs: Option<String>,
    /// The value's type, without the `Option`s that `required`/`nullable` add.
    pub ty: TypeRef,
    /// Listed in the object's `required`.
    pub required: bool,
    /// `null` is a valid value.
    pub nullable: bool,
    /// The schema's `default`, when it can be written as a Rust value of `ty`.
    pub default: Option<serde_json::Value>,
    /// Validation keywords, for docs.
    pub constraints: Constraints,
    /// JSON pointer of the property schema.
    pub origin: String,
}

/// Validation keywords of a schema, kept for documentation (and later validation).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minimum` and whether it is exclusive.
    pub minimum: Option<(f64, bool)>,
    /// `maximum` and whether it is exclusive.
    pub maximum: Option<(f64, bool)>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `pattern` (ECMA-262).
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
    /// `format`, when it does not already show in the Rust type.
    pub format: Option<String>,
}

/// A string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    /// Known values, in spec order.
    pub variants: Vec<EnumVariant>,
    /// Name of the variant that keeps any other value (`Other`, or another name when the
    /// spec already uses `Other`).
    pub catch_all: String,
    /// The value of the schema's `default`, when it is one of the variants.
    pub default: Option<String>,
}

/// One known value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// Rust variant name.
    pub rust_name: String,
    /// The exact JSON string.
    pub value: String,
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// `string`, and string formats without a better type.
    String,
    /// `integer`; the Rust type follows `format` (`int32` -> `i32`, otherwise `i64`).
    Integer(IntegerWidth),
    /// `number`; `float` -> `f32`, otherwise `f64`.
    Number(NumberWidth),
    /// `boolean`.
    Boolean,
    /// `format: date-time` -> `chrono::DateTime<Utc>`.
    DateTime,
    /// `format: date` -> `chrono::NaiveDate`.
    Date,
    /// `format: uuid` -> `uuid::Uuid`.
    Uuid,
    /// Any JSON value (`{}` or a construct without a closer Rust type).
    Json,
    /// `type: array`.
    Array(Box<TypeRef>),
    /// An object of arbitrary keys (`additionalProperties` only).
    Map(Box<TypeRef>),
    /// `null` allowed where no field can say so (array items, map values).
    Nullable(Box<TypeRef>),
    /// A [`TypeDef`], by its Rust name.
    Named(String),
}

/// Width of an integer type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegerWidth {
    /// `int32`.
    I32,
    /// `int64` or no format.
    I64,
}

/// Width of a floating-point type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberWidth {
    /// `float`.
    F32,
    /// `double` or no format.
    F64,
}

/// One API operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub operation_id: String,
    /// Client method name (snake_case).
    pub method_name: String,
    /// Request builder type name (UpperCamelCase); the error enum is `<type_name>Error`.
    pub type_name: String,
    /// HTTP method, uppercase.
    pub http_method: String,
    /// The path template as written, e.g. `/orgs/{org_id}`.
    pub path: String,
    /// The path template split into segments.
    pub path_segments: Vec<PathSegment>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Parameters: path parameters in path order first, then the rest in spec order.
    pub parameters: Vec<Parameter>,
    /// The JSON request body.
    pub body: Option<RequestBody>,
    /// Documented responses, sorted by status.
    pub responses: Vec<Response>,
    /// JSON pointer of the operation.
    pub origin: String,
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Literal text.
    Literal(String),
    /// A whole segment that is one path parameter, by its JSON name.
    Parameter(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
}

/// One operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Name on the wire.
    pub name: String,
    /// Rust argument/setter name.
    pub rust_name: String,
    /// Location.
    pub location: ParameterLocation,
    /// Required (always true for path parameters).
    pub required: bool,
    /// Value type.
    pub ty: TypeRef,
    /// `description`.
    pub docs: Option<String>,
    /// The schema's `default` (applied by the server when the parameter is left out).
    pub default: Option<serde_json::Value>,
    /// Validation keywords, for docs.
    pub constraints: Constraints,
}

/// A JSON request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The body's type.
    pub ty: TypeRef,
    /// `required: true`: an argument of the method instead of an optional setter.
    pub required: bool,
    /// The media type, e.g. `application/json`.
    pub media_type: String,
    /// `description`.
    pub docs: Option<String>,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One code.
    Code(u16),
    /// `4XX` style: the first digit.
    Range(u16),
    /// `default`: every status not otherwise documented.
    Default,
}

/// One documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status(es) it covers.
    pub status: StatusMatch,
    /// `description`.
    pub description: String,
    /// The JSON body type; `None` for no content.
    pub body: Option<TypeRef>,
    /// Variant name in the operation's error enum (for error statuses).
    pub variant_name: String,
}

impl Response {
    /// Whether this response is a success (2xx).
    pub fn is_success(&self) -> bool {
        match self.status {
            StatusMatch::Code(code) => (200..300).contains(&code),
            StatusMatch::Range(digit) => digit == 2,
            StatusMatch::Default => false,
        }
    }
}
