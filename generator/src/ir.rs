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
    /// An integer enum with a catch-all for values the spec does not list.
    IntegerEnum(IntegerEnum),
    /// `oneOf`/`anyOf`: one of several shapes.
    Union(Union),
    /// A named schema that is another type (`type: string`, an array, a `$ref`):
    /// a newtype would add ceremony for nothing, so it is a type alias...
    Alias(TypeRef),
    /// ...unless the type refers to itself (`Tree = array of Tree`), which an alias cannot:
    /// then it is a `#[serde(transparent)]` newtype.
    Newtype(TypeRef),
}

/// An integer enum.
#[derive(Debug, Clone, PartialEq)]
pub struct IntegerEnum {
    /// Known values, in spec order: Rust variant name and value.
    pub variants: Vec<(String, i64)>,
    /// Name of the variant that keeps any other value.
    pub catch_all: String,
    /// The schema's `default`, when it is one of the variants.
    pub default: Option<i64>,
}

/// One of several shapes (`oneOf`/`anyOf`).
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The members, in spec order.
    pub variants: Vec<UnionVariant>,
    /// How the members are told apart.
    pub tagging: Tagging,
}

/// How a union's JSON says which member it is.
#[derive(Debug, Clone, PartialEq)]
pub enum Tagging {
    /// By the value of one property (OpenAPI's `discriminator`). `catch_all` names the
    /// variant that keeps, as raw JSON, an object whose tag the spec does not list.
    Discriminator {
        /// The tag property, e.g. `type`.
        property: String,
        /// The catch-all variant's name.
        catch_all: String,
    },
    /// By trying the members in order (serde's `untagged`).
    Untagged,
}

/// One member of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub rust_name: String,
    /// The member's type.
    pub ty: TypeRef,
    /// Held in a `Box` because the member contains the union by value.
    pub boxed: bool,
    /// The discriminator values that select this member (tagged unions only).
    pub tag_values: Vec<String>,
}

/// A JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Properties, in spec order.
    pub fields: Vec<Field>,
    /// `additionalProperties` beside `properties`: the keys that are not properties,
    /// kept in a flattened map.
    pub additional: Option<AdditionalFields>,
}

/// The map of extra keys of an object that also has `properties`.
#[derive(Debug, Clone, PartialEq)]
pub struct AdditionalFields {
    /// Rust field name of the map (`additional_properties` unless a property took it).
    pub rust_name: String,
    /// The values' type.
    pub value: TypeRef,
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
    /// Held in a `Box` because the field's type contains this struct by value.
    pub boxed: bool,
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
    /// `format: ipv4` -> `std::net::Ipv4Addr`.
    Ipv4,
    /// `format: ipv6` -> `std::net::Ipv6Addr`.
    Ipv6,
    /// `format: ip` -> `std::net::IpAddr`.
    Ip,
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

/// Width of an integer type, from `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegerWidth {
    /// `int8`.
    I8,
    /// `int16`.
    I16,
    /// `int32`.
    I32,
    /// `int64`, no format or an unknown one.
    I64,
    /// `uint8`.
    U8,
    /// `uint16`.
    U16,
    /// `uint32`.
    U32,
    /// `uint64`.
    U64,
}

impl IntegerWidth {
    /// The width a `format` names; `int64` for no format or an unknown one, the widest
    /// signed type JSON integers in practice use.
    pub fn from_format(format: Option<&str>) -> Self {
        match format {
            Some("int8") => Self::I8,
            Some("int16") => Self::I16,
            Some("int32") => Self::I32,
            Some("uint8") => Self::U8,
            Some("uint16") => Self::U16,
            Some("uint32") => Self::U32,
            Some("uint64") => Self::U64,
            _ => Self::I64,
        }
    }
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
