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
    /// Position in `types` of each name, for [`Api::type_named`].
    pub type_index: std::collections::BTreeMap<String, usize>,
    /// Operations, in spec order (paths, then methods in a fixed order).
    pub operations: Vec<Operation>,
    /// Webhooks (OpenAPI 3.1): requests the API makes to the user. The client has no
    /// methods for them; their payload types are generated and listed in the crate docs.
    pub webhooks: Vec<Webhook>,
}

/// A webhook the API calls: its name in `webhooks`, its method, and the Rust type of
/// the request body it sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// The key in the spec's `webhooks`, e.g. `newPet`.
    pub name: String,
    /// `POST`, ...
    pub method: String,
    /// The operation's summary.
    pub summary: Option<String>,
    /// The payload's type in `types`, when the spec gives the body a schema.
    pub payload: Option<String>,
}

impl Api {
    /// `ty` with aliases (`type X = Y`) followed to what they name.
    pub fn resolve_alias<'a>(&'a self, ty: &'a TypeRef) -> &'a TypeRef {
        let mut current = ty;
        // An alias cycle is broken by the normaliser; the bound keeps a bad IR finite.
        for _ in 0..64 {
            let TypeRef::Named(name) = current else {
                return current;
            };
            match self.type_named(name).map(|definition| &definition.kind) {
                Some(TypeKind::Alias(target)) => current = target,
                _ => return current,
            }
        }
        current
    }

    /// The named type `name`. Emitters look types up often; big specs have thousands.
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.type_index
            .get(name)
            .and_then(|&position| self.types.get(position))
    }
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
    /// `type: apiKey`: a key sent as a header, query parameter or cookie.
    ApiKey {
        /// The scheme's name in `components.securitySchemes`.
        name: String,
        /// The builder method that sets the key (snake_case, unique among the builder's
        /// methods), e.g. `api_key`.
        setter: String,
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name (the scheme's `name`).
        parameter: String,
        /// The scheme's description.
        description: Option<String>,
    },
    /// `type: http, scheme: basic`: an `Authorization: Basic <base64>` header.
    Basic {
        /// The scheme's name in `components.securitySchemes`.
        name: String,
        /// The scheme's description.
        description: Option<String>,
    },
}

impl AuthScheme {
    /// The builder call that sets this scheme's credential from the environment, for
    /// doc examples, e.g. `.bearer_token(std::env::var("API_TOKEN")?)`.
    pub fn example_call(&self) -> String {
        match self {
            AuthScheme::Bearer { .. } => ".bearer_token(std::env::var(\"API_TOKEN\")?)".to_string(),
            AuthScheme::Basic { .. } => {
                ".basic_auth(std::env::var(\"API_USER\")?, std::env::var(\"API_PASSWORD\")?)"
                    .to_string()
            }
            AuthScheme::ApiKey { setter, .. } => format!(".{setter}(std::env::var(\"API_KEY\")?)"),
        }
    }
}

/// Where an `apiKey` security scheme sends its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
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
    /// How the field is held, decided once from `required`, `nullable`, `default` and
    /// the direction the property travels in (`readOnly`/`writeOnly`).
    pub form: FieldForm,
    /// Validation keywords, for docs.
    pub constraints: Constraints,
    /// Held in a `Box` because the field's type contains this struct by value.
    pub boxed: bool,
    /// Which way the property travels: `readOnly` (responses only) or `writeOnly`
    /// (requests only).
    pub direction: Direction,
    /// Required in requests although held as `Option` (a required `writeOnly`
    /// property, absent from responses): `new` takes it.
    pub demanded: bool,
    /// Kept out of `Debug` (and validation messages): `format: password`, or a
    /// `writeOnly` string.
    pub secret: bool,
}

/// Which way a property travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Both ways.
    #[default]
    Both,
    /// `readOnly`: sent by the server, never needed in a request.
    ReadOnly,
    /// `writeOnly`: sent by the client, never in a response.
    WriteOnly,
}

/// How a property is held in its struct, from `required`, `nullable` and `default`.
///
/// Decided once, here in the IR, because every stage that reads a field must agree: the
/// struct declares it, validation and waiters unwrap it, pagination reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldForm {
    /// Required, not nullable: `T`.
    Plain,
    /// Required and nullable: `Option<T>`, written as `null` when `None`.
    RequiredNullable,
    /// Optional with a default the spec gives: `T`, filled in when absent, so readers
    /// never handle a case the spec rules out.
    Defaulted,
    /// Optional: `Option<T>`, left out when `None`.
    Optional,
    /// Optional and nullable: `Option<Option<T>>`; absent and `null` stay distinct.
    OptionalNullable,
}

impl FieldForm {
    /// The form of a property that is (not) `required`, (not) `nullable`, and has a
    /// representable default or not.
    pub fn of(required: bool, nullable: bool, has_default: bool) -> Self {
        match (required, nullable, has_default) {
            (true, false, _) => FieldForm::Plain,
            (true, true, _) => FieldForm::RequiredNullable,
            (false, true, _) => FieldForm::OptionalNullable,
            (false, false, true) => FieldForm::Defaulted,
            (false, false, false) => FieldForm::Optional,
        }
    }
}

/// A `minimum` or `maximum` as the spec wrote it. An integer schema's bound stays an
/// integer, exactly (`9223372036854775807` is not rounded to `9223372036854775808.0`
/// on its way through `f64`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// The bound of an `integer` schema.
    Integer(i64),
    /// The bound of a `number` (or untyped) schema.
    Number(f64),
}

impl Bound {
    /// The bound as `f64`, for comparing bounds with each other.
    #[allow(clippy::cast_precision_loss)]
    pub fn as_f64(self) -> f64 {
        match self {
            Bound::Integer(value) => value as f64,
            Bound::Number(value) => value,
        }
    }
}

/// Validation keywords of a schema, kept for documentation (and later validation).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minimum` and whether it is exclusive.
    pub minimum: Option<(Bound, bool)>,
    /// `maximum` and whether it is exclusive.
    pub maximum: Option<(Bound, bool)>,
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
    /// What the spec says of this one value (the description of a `oneOf` member that
    /// fixes it), if anything.
    pub docs: Option<String>,
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
    /// Raw bytes (`format: binary` in a multipart part or an `application/octet-stream`
    /// body or response) -> `bytes::Bytes`.
    Bytes,
    /// Bytes that are base64 text in JSON (`format: byte`) -> the runtime's
    /// `Base64Bytes`.
    Base64,
    /// A file part of a `multipart/form-data` body (`format: binary` there) -> the
    /// runtime's `FilePart` (bytes, file name, content type).
    File,
    /// `type: array`.
    Array(Box<TypeRef>),
    /// An object of arbitrary keys (`additionalProperties` only).
    Map(Box<TypeRef>),
    /// A fixed-length array whose positions each have their own schema (OpenAPI 3.1's
    /// `prefixItems` with no further items) -> a Rust tuple.
    Tuple(Vec<TypeRef>),
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
    /// The first of `tags`.
    pub tag: Option<String>,
    /// The Cargo feature the operation is behind, when the API is split into areas (see
    /// `normalise/areas.rs`).
    pub area: Option<String>,
    /// Parameters: path parameters in path order first, then the rest in spec order.
    pub parameters: Vec<Parameter>,
    /// The JSON request body.
    pub body: Option<RequestBody>,
    /// Documented responses, sorted by status.
    pub responses: Vec<Response>,
    /// What a successful call returns.
    pub success: Success,
    /// The headers its success responses declare, as one struct, if any.
    pub headers: Option<OperationHeaders>,
    /// The type of each event's `data`, when a success response offers
    /// `text/event-stream` (`Request::send_stream`).
    pub event_stream: Option<TypeRef>,
    /// JSON pointer of the operation.
    pub origin: String,
}

/// What a successful call of an operation returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// No success response has a body: `()`.
    Unit,
    /// No success response has a body, but they declare headers: the operation's
    /// headers struct (`<Operation>Headers`; a `HEAD` operation's result).
    Headers,
    /// Every success response has this body.
    Body(ResponseBody),
    /// Success responses differ: an enum of outcomes, one variant per success response
    /// (named by its [`Response::variant_name`]).
    Outcomes {
        /// The enum's name (unique among the request builders).
        type_name: String,
    },
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Literal text.
    Literal(String),
    /// A whole segment that is one path parameter, by its JSON name.
    Parameter(String),
    /// A segment mixing text and parameters, like `{name}.{extension}`; encoded as one
    /// segment once the values are filled in.
    Template(Vec<TemplatePart>),
}

/// A piece of a [`PathSegment::Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    /// Literal text.
    Literal(String),
    /// A path parameter, by its JSON name.
    Parameter(String),
}

impl PathSegment {
    /// The path parameters this segment holds, in order.
    pub fn parameters(&self) -> Vec<&str> {
        match self {
            PathSegment::Literal(_) => Vec::new(),
            PathSegment::Parameter(name) => vec![name.as_str()],
            PathSegment::Template(parts) => parts
                .iter()
                .filter_map(|part| match part {
                    TemplatePart::Parameter(name) => Some(name.as_str()),
                    TemplatePart::Literal(_) => None,
                })
                .collect(),
        }
    }
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
    /// In the `Cookie` header.
    Cookie,
}

/// How a parameter value is spelled (OpenAPI's `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterStyle {
    /// `form` (query and cookie default): arrays `a=1&a=2` when exploded, `a=1,2` when not;
    /// objects `k=v&k2=v2` when exploded, `a=k,v,k2,v2` when not.
    Form {
        /// `explode` (default `true` for `form`).
        explode: bool,
    },
    /// `simple` (path and header default): `1,2`; objects `k,v,k2,v2` (or `k=v,k2=v2` exploded).
    Simple {
        /// `explode` (default `false`).
        explode: bool,
    },
    /// `label` (path): `.1,2` (`.1.2` exploded); objects `.k,v` (`.k=v` exploded).
    Label {
        /// `explode` (default `false`).
        explode: bool,
    },
    /// `matrix` (path): `;a=1,2` (`;a=1;a=2` exploded); objects `;a=k,v` (`;k=v` exploded).
    Matrix {
        /// `explode` (default `false`).
        explode: bool,
    },
    /// `spaceDelimited`: arrays `a=1%202`.
    SpaceDelimited,
    /// `pipeDelimited`: arrays `a=1|2`.
    PipeDelimited,
    /// `deepObject`: objects `a[k]=v&a[k2]=v2`.
    DeepObject,
    /// `content: application/json` instead of `schema`: the value as JSON text.
    Json,
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
    /// How the value is spelled.
    pub style: ParameterStyle,
    /// Value type.
    pub ty: TypeRef,
    /// `description`.
    pub docs: Option<String>,
    /// The schema's `default` (applied by the server when the parameter is left out).
    pub default: Option<serde_json::Value>,
    /// Validation keywords, for docs.
    pub constraints: Constraints,
    /// `format: password`: kept out of `Debug` and validation messages (still sent).
    pub secret: bool,
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
    /// How the body is put on the wire.
    pub encoding: BodyEncoding,
    /// `description`.
    pub docs: Option<String>,
    /// Other media types the spec offers for the same schema, which the caller may
    /// choose instead; empty when there is no choice.
    pub alternatives: Vec<BodyAlternative>,
    /// The enum of the choice (`<Operation>MediaType`) and the variant of `media_type`,
    /// when there are alternatives.
    pub choice: Option<(String, String)>,
    /// Multipart only: the `Content-Type` the spec's `encoding` gives a property's part,
    /// by JSON property name.
    pub part_types: Vec<(String, String)>,
    /// When the media types offered carry different schemas (JSON or `text/plain`, say):
    /// the body is this enum, one variant per media type, and the variant the caller
    /// builds says what is sent. Then `ty`, `media_type`, `encoding` and `part_types`
    /// describe its first variant (the default), and there is no `choice`.
    pub body_enum: Option<BodyEnum>,
}

impl RequestBody {
    /// The types a body can hold: its one type, or each of its enum's variants'.
    pub fn types(&self) -> Vec<&TypeRef> {
        match &self.body_enum {
            Some(body_enum) => body_enum
                .variants
                .iter()
                .map(|variant| &variant.ty)
                .collect(),
            None => vec![&self.ty],
        }
    }

    /// Whether some media type it can be sent as is raw bytes, whose `Content-Type` the
    /// caller may set.
    pub fn sends_bytes(&self) -> bool {
        match &self.body_enum {
            Some(body_enum) => body_enum
                .variants
                .iter()
                .any(|variant| variant.encoding == BodyEncoding::Binary),
            None => self.encoding == BodyEncoding::Binary,
        }
    }
}

/// A request body that is one of several media types, each with its own schema.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyEnum {
    /// The enum's name in the operations module, e.g. `AddPetRequestBody`.
    pub name: String,
    /// One per media type the client can write, the default first.
    pub variants: Vec<BodyVariant>,
}

/// One media type of a [`BodyEnum`].
#[derive(Debug, Clone, PartialEq)]
pub struct BodyVariant {
    /// The variant's name, e.g. `Json`, `Text`.
    pub variant: String,
    /// The media type, sent as `Content-Type`.
    pub media_type: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// What the variant holds: the media type's schema (`String` for text, `Bytes` for
    /// binary).
    pub ty: TypeRef,
    /// Multipart only: each part's `Content-Type` from the spec's `encoding`.
    pub part_types: Vec<(String, String)>,
}

/// A media type a body can also be sent as.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyAlternative {
    /// The media type, sent as `Content-Type`.
    pub media_type: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// Its variant in the operation's media type enum.
    pub variant: String,
}

/// How a body is encoded, from its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` or any `+json` type: serde_json.
    Json,
    /// `application/x-www-form-urlencoded`: serde_urlencoded.
    FormUrlEncoded,
    /// `multipart/form-data`: one part per property.
    Multipart,
    /// `text/*`: a `String`.
    Text,
    /// Anything else (`application/octet-stream`, images, ...): raw bytes.
    Binary,
}

/// A response body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseBody {
    /// The body's type (`String` for text, `Bytes` for binary).
    pub ty: TypeRef,
    /// How it is decoded.
    pub encoding: BodyEncoding,
    /// The media type as the spec names it.
    pub media_type: String,
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
    /// The body; `None` for no content (or a media type the client keeps raw).
    pub body: Option<ResponseBody>,
    /// Variant name in the operation's error enum (for error statuses).
    pub variant_name: String,
    /// The headers it declares (`Content-Type` aside), in spec order.
    pub headers: Vec<ResponseHeader>,
    /// The type of each event's `data` when it offers `text/event-stream` (a 2xx).
    pub event_stream: Option<TypeRef>,
}

/// The headers an operation's success responses declare, read into one struct.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationHeaders {
    /// The struct's name, `<Operation>Headers` (unique among the request builders).
    pub type_name: String,
    /// Every header any success response declares; required only where every success
    /// response requires it.
    pub headers: Vec<ResponseHeader>,
}

/// A header a response declares.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The header name, as the spec writes it.
    pub name: String,
    /// The field of the operation's headers struct.
    pub rust_name: String,
    /// Its type: a scalar (anything else is read as text).
    pub ty: TypeRef,
    /// `required`: a response without it is an error.
    pub required: bool,
    /// `description`.
    pub docs: Option<String>,
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

/// What the generated client does that the spec cannot say: which operations are safe to
/// retry, which list operations paginate, which waiters exist, where the request id is.
///
/// Resolved by [`crate::settings`] from the settings file (`spec/codegen.toml`) and from
/// conventions detected in the [`Api`]; every name in it is checked against the `Api`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClientBehaviour {
    /// Response header holding the server's request id (lowercase), e.g. `x-request-id`.
    pub request_id_header: Option<String>,
    /// Per `operationId`, an explicit idempotency verdict from the settings; operations not
    /// listed follow their HTTP method (see [`ClientBehaviour::is_idempotent`]).
    pub idempotent: std::collections::BTreeMap<String, bool>,
    /// List operations that page, by `operationId`.
    pub paginations: std::collections::BTreeMap<String, Pagination>,
    /// Waiters, in settings order.
    pub waiters: Vec<Waiter>,
}

impl ClientBehaviour {
    /// Whether sending `operation` twice has the effect of sending it once: the settings'
    /// verdict when there is one, else the HTTP method's (RFC 9110 section 9.2.2: GET,
    /// HEAD, OPTIONS, TRACE, PUT and DELETE are idempotent).
    pub fn is_idempotent(&self, operation: &Operation) -> bool {
        self.idempotent
            .get(&operation.operation_id)
            .copied()
            .unwrap_or(matches!(
                operation.http_method.as_str(),
                "GET" | "HEAD" | "OPTIONS" | "TRACE" | "PUT" | "DELETE"
            ))
    }
}

/// How a list operation pages: a page-number query parameter, an optional page-size
/// parameter, and a response with the page's items and, optionally, the total count.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Rust setter name of the 1-based page-number query parameter (`page`).
    pub page_parameter: String,
    /// Its type (an integer).
    pub page_type: TypeRef,
    /// Rust setter name of the page-size query parameter (`limit`), when there is one:
    /// the stream keeps the caller's value and uses it to count items already skipped.
    pub limit_parameter: Option<String>,
    /// Rust field name of the items array in the response (`items`).
    pub items_field: String,
    /// Whether that field is an `Option` in the response struct.
    pub items_optional: bool,
    /// The item type.
    pub item_type: TypeRef,
    /// Rust field name of the total item count (`total`), when the response has one.
    pub total_field: Option<String>,
    /// Whether the total field is an `Option` in the response struct.
    pub total_optional: bool,
}

/// A generated helper that polls an operation until the resource reaches a target state.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// Method name on the operation's request builder, e.g. `wait_until_ready`.
    pub method_name: String,
    /// The polled operation's `operationId`.
    pub operation_id: String,
    /// The state field of the response, when the waiter looks at one.
    pub state: Option<WaiterState>,
    /// Statuses that end the wait successfully with no resource, e.g. `404` for "gone".
    pub success_statuses: Vec<u16>,
    /// The operations after which the resource is waited for (the command-line tool's
    /// `--wait`), each with where the polled operation's arguments come from.
    pub after: Vec<WaiterTrigger>,
}

/// An operation after which a waiter runs, e.g. `createSandbox` before `wait_until_ready`.
#[derive(Debug, Clone, PartialEq)]
pub struct WaiterTrigger {
    /// The triggering operation's `operationId`.
    pub operation_id: String,
    /// For each required parameter of the polled operation, in its order: its Rust
    /// name and where its value comes from.
    pub arguments: Vec<(String, WaiterArgument)>,
}

/// Where a polled operation's argument comes from after the triggering call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaiterArgument {
    /// The triggering call's parameter of the same name (its Rust name).
    Parameter(String),
    /// A property of the triggering call's success body (its Rust field name), e.g. the
    /// created sandbox's `id`.
    Response(String),
}

/// The state field a waiter reads and the values it stops on.
#[derive(Debug, Clone, PartialEq)]
pub struct WaiterState {
    /// Rust field name in the response struct, e.g. `phase`.
    pub field: String,
    /// JSON name of that field, for docs.
    pub json_name: String,
    /// Whether the field is an `Option` (absent or `null` counts as "not there yet").
    pub optional: bool,
    /// Wire values that end the wait successfully.
    pub success: Vec<String>,
    /// Wire values from which success cannot follow: the wait fails at once.
    pub failure: Vec<String>,
}

/// A media type without its parameters, lowercased: `Text/Plain; charset=utf-8` ->
/// `text/plain`. Media types compare by this (RFC 9110, 8.3.1).
pub fn media_type_essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}
