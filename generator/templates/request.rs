//! Building request URLs and reading responses, shared by every operation.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, COOKIE};
use reqwest::Url;

use crate::error::{BuildError, InvalidRequest, RawResponse};

/// One segment of an operation's path template.
// A spec without path parameters never builds `Parameter`.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy)]
pub(crate) enum PathSegment<'a> {
    /// Text from the template, used as is.
    Literal(&'static str),
    /// A path parameter's value, percent-encoded into exactly one segment.
    Parameter {
        /// The parameter's name in the spec, for errors.
        name: &'static str,
        /// The value as text.
        value: &'a str,
    },
}

/// Parses and checks a base URL. A trailing `/` is allowed and ignored.
pub(crate) fn parse_base_url(url: &str) -> Result<Url, BuildError> {
    let invalid = |reason: String| BuildError::InvalidBaseUrl { url: url.to_string(), reason };
    let parsed = Url::parse(url).map_err(|error| invalid(error.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(format!("scheme `{}` is not http or https", parsed.scheme())));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("a base URL cannot have a query or fragment".to_string()));
    }
    Ok(parsed)
}

/// Appends `segments` to `base`'s path.
///
/// Parameter values are percent-encoded by `url` (which also encodes `/`, `?`, `#` and
/// `%`), so a value always stays inside its own segment. `url` silently drops the
/// segments `.` and `..` and an empty value would merge two segments, so those three
/// values are refused here instead of calling a different URL.
pub(crate) fn endpoint(base: &Url, segments: &[PathSegment<'_>]) -> Result<Url, InvalidRequest> {
    let mut url = base.clone();
    {
        let Ok(mut path) = url.path_segments_mut() else {
            // parse_base_url only accepts http(s) URLs, which always have a path.
            return Err(InvalidRequest {
                parameter: "base_url",
                reason: "the base URL cannot have path segments".to_string(),
            });
        };
        path.pop_if_empty();
        for segment in segments {
            match *segment {
                PathSegment::Literal(text) => {
                    path.push(text);
                }
                PathSegment::Parameter { name, value } => {
                    if matches!(value, "" | "." | "..") {
                        return Err(InvalidRequest {
                            parameter: name,
                            reason: format!(
                                "{value:?} cannot be sent as a path segment without changing the URL"
                            ),
                        });
                    }
                    path.push(value);
                }
            }
        }
    }
    Ok(url)
}

/// Puts a credential into `headers` under `name`, marked sensitive. A value a header
/// cannot hold is handed to reqwest as is, which fails the request before anything is
/// sent, with an error that does not show the value.
// Unused in a crate whose spec has no header credentials.
#[allow(dead_code)]
pub(crate) fn credential_header(
    request: reqwest::RequestBuilder,
    headers: &mut HeaderMap,
    name: HeaderName,
    value: &str,
) -> reqwest::RequestBuilder {
    match HeaderValue::from_str(value) {
        Ok(mut value) => {
            value.set_sensitive(true);
            headers.insert(name, value);
            request
        }
        Err(_) => request.header(name, value),
    }
}

/// Adds `name=value` as a `Cookie` header marked sensitive (joined with other cookies
/// before sending, see [`join_cookies`]). The value is sent as given; one a header
/// cannot hold fails the request as in [`credential_header`].
// Unused in a crate whose spec has no cookie credentials.
#[allow(dead_code)]
pub(crate) fn credential_cookie(request: reqwest::RequestBuilder, name: &str, value: &str) -> reqwest::RequestBuilder {
    let text = format!("{name}={value}");
    match HeaderValue::from_str(&text) {
        Ok(mut value) => {
            value.set_sensitive(true);
            request.header(COOKIE, value)
        }
        Err(_) => request.header(COOKIE, text),
    }
}

/// Several `Cookie` headers (default headers, an API key, the operation's cookie
/// parameters) joined into one, as HTTP/1.1 requires; sensitive when any part is.
pub(crate) fn join_cookies(headers: &mut HeaderMap) {
    let values: Vec<HeaderValue> = headers.get_all(COOKIE).iter().cloned().collect();
    if values.len() < 2 {
        return;
    }
    let sensitive = values.iter().any(HeaderValue::is_sensitive);
    let mut joined = Vec::new();
    for (index, value) in values.iter().enumerate() {
        if index > 0 {
            joined.extend_from_slice(b"; ");
        }
        joined.extend_from_slice(value.as_bytes());
    }
    if let Ok(mut value) = HeaderValue::from_bytes(&joined) {
        value.set_sensitive(sensitive);
        headers.insert(COOKIE, value);
    }
}

/// `Basic <base64 of username:password>` (RFC 7617).
// Unused in a crate whose spec has no basic authentication.
#[allow(dead_code)]
pub(crate) fn basic_credentials(username: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let plain = format!("{username}:{password}");
    let mut text = String::from("Basic ");
    for chunk in plain.as_bytes().chunks(3) {
        let bytes = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let bits = (u32::from(bytes[0]) << 16) | (u32::from(bytes[1]) << 8) | u32::from(bytes[2]);
        for index in 0..4 {
            if index <= chunk.len() {
                text.push(char::from(ALPHABET[((bits >> (18 - 6 * index)) & 0x3f) as usize]));
            } else {
                text.push('=');
            }
        }
    }
    text
}

/// `url` with the values of query parameters that carry API keys replaced by
/// `[redacted]`, for observers and errors.
pub(crate) fn redact_url(url: &mut Url) {
    let secret = crate::client::SECRET_QUERY_PARAMETERS;
    if secret.is_empty() || !url.query_pairs().any(|(name, _)| secret.contains(&name.as_ref())) {
        return;
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(name, value)| {
            let value = if secret.contains(&name.as_ref()) { "[redacted]".to_string() } else { value.into_owned() };
            (name.into_owned(), value)
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
}

/// Reads the whole response: status, headers and body.
pub(crate) async fn read_response(response: reqwest::Response) -> Result<RawResponse, reqwest::Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    Ok(RawResponse::new(status, headers, body))
}

/// How a parameter value is spelled (OpenAPI's `style` and `explode`).
// A spec uses only some styles; the others are never built.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy)]
pub(crate) enum Style {
    /// `form`: the query and cookie default.
    Form {
        /// `explode`.
        explode: bool,
    },
    /// `simple`: the path and header default.
    Simple {
        /// `explode`.
        explode: bool,
    },
    /// `spaceDelimited` arrays.
    SpaceDelimited,
    /// `pipeDelimited` arrays.
    PipeDelimited,
    /// `deepObject` objects.
    DeepObject,
    /// A parameter with `content: application/json`: the whole value as JSON text.
    Json,
}

impl Style {
    /// `form` with `explode: true`: OpenAPI's default for query and cookie parameters.
    // A spec uses only some styles; the others are never built.
    #[allow(dead_code)]
    pub(crate) const FORM: Style = Style::Form { explode: true };
    /// `simple` with `explode: false`: OpenAPI's default for path and header parameters.
    #[allow(dead_code)]
    pub(crate) const SIMPLE: Style = Style::Simple { explode: false };
}

/// The `(name, value)` pairs a query or cookie parameter becomes, unencoded (reqwest
/// percent-encodes query pairs; [`cookie_header`] encodes cookies).
///
/// The value is first turned into JSON, so every generated type (enums, dates, UUIDs,
/// structs) is spelled the way the spec's schema says, then laid out by `style`:
/// arrays as repeated pairs (`form`, exploded) or one joined value; objects as one pair
/// per property (`form`, exploded), `name[key]` pairs (`deepObject`) or one joined value.
// Unused in a crate whose operations have no query or cookie parameters.
#[allow(dead_code)]
pub(crate) fn query_pairs<T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    style: Style,
) -> Result<Vec<(String, String)>, InvalidRequest> {
    let value = to_json(name, value)?;
    let mut pairs = Vec::new();
    match (&value, style) {
        (value, Style::Json) => pairs.push((name.to_string(), value.to_string())),
        (serde_json::Value::Array(items), Style::Form { explode: true } | Style::DeepObject) => {
            pairs.extend(items.iter().map(|item| (name.to_string(), scalar_text(item))));
        }
        (serde_json::Value::Array(items), _) => {
            pairs.push((name.to_string(), join(items.iter().map(scalar_text), delimiter(style))));
        }
        (serde_json::Value::Object(object), Style::Form { explode: true }) => {
            pairs.extend(object.iter().map(|(key, item)| (key.clone(), scalar_text(item))));
        }
        (serde_json::Value::Object(object), Style::DeepObject) => deep_object(name, object, &mut pairs),
        (serde_json::Value::Object(object), _) => {
            let flat = object.iter().flat_map(|(key, item)| [key.clone(), scalar_text(item)]);
            pairs.push((name.to_string(), join(flat, delimiter(style))));
        }
        (scalar, _) => pairs.push((name.to_string(), scalar_text(scalar))),
    }
    Ok(pairs)
}

/// A header parameter's value in `simple` style: arrays `a,b`; objects `k,v` (`k=v`
/// when exploded).
// Unused in a crate whose operations have no header parameters.
#[allow(dead_code)]
pub(crate) fn header_value<T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    style: Style,
) -> Result<reqwest::header::HeaderValue, InvalidRequest> {
    let text = match (to_json(name, value)?, style) {
        (value, Style::Json) => value.to_string(),
        (serde_json::Value::Array(items), _) => join(items.iter().map(scalar_text), ","),
        (serde_json::Value::Object(object), Style::Simple { explode: true }) => {
            join(object.iter().map(|(key, item)| format!("{key}={}", scalar_text(item))), ",")
        }
        (serde_json::Value::Object(object), _) => {
            join(object.iter().flat_map(|(key, item)| [key.clone(), scalar_text(item)]), ",")
        }
        (scalar, _) => scalar_text(&scalar),
    };
    reqwest::header::HeaderValue::from_str(&text).map_err(|_| InvalidRequest {
        parameter: name,
        reason: "contains characters a header value cannot hold (control characters or newlines)".to_string(),
    })
}

/// The `Cookie` header for `pairs`, each value percent-encoded so `;`, `,`, spaces and
/// quotes cannot end a cookie early.
// Unused in a crate whose operations have no cookie parameters.
#[allow(dead_code)]
pub(crate) fn cookie_header(pairs: &[(String, String)]) -> Result<reqwest::header::HeaderValue, InvalidRequest> {
    let text = join(
        pairs.iter().map(|(name, value)| {
            let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
            format!("{name}={encoded}")
        }),
        "; ",
    );
    reqwest::header::HeaderValue::from_str(&text).map_err(|_| InvalidRequest {
        parameter: "Cookie",
        reason: "a cookie name contains characters a header cannot hold".to_string(),
    })
}

/// One `multipart/form-data` part from a property value: text for strings and other
/// scalars, JSON text for arrays and objects.
// Unused in a crate whose operations have no multipart bodies.
#[allow(dead_code)]
pub(crate) fn text_part<T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<reqwest::multipart::Part, InvalidRequest> {
    let value = to_json(name, value)?;
    let part = match &value {
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
            reqwest::multipart::Part::text(value.to_string())
                .mime_str("application/json")
                .map_err(|error| InvalidRequest { parameter: name, reason: error.to_string() })?
        }
        scalar => reqwest::multipart::Part::text(scalar_text(scalar)),
    };
    Ok(part)
}

fn to_json<T: serde::Serialize + ?Sized>(name: &'static str, value: &T) -> Result<serde_json::Value, InvalidRequest> {
    serde_json::to_value(value).map_err(|error| InvalidRequest { parameter: name, reason: error.to_string() })
}

fn delimiter(style: Style) -> &'static str {
    match style {
        Style::SpaceDelimited => " ",
        Style::PipeDelimited => "|",
        _ => ",",
    }
}

fn join(parts: impl Iterator<Item = String>, separator: &str) -> String {
    parts.collect::<Vec<_>>().join(separator)
}

/// A JSON scalar as parameter text; nested arrays and objects as JSON text.
fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `name[key]=value` pairs, recursing into nested objects as `name[key][sub]`.
fn deep_object(prefix: &str, object: &serde_json::Map<String, serde_json::Value>, pairs: &mut Vec<(String, String)>) {
    for (key, value) in object {
        let name = format!("{prefix}[{key}]");
        match value {
            serde_json::Value::Object(inner) => deep_object(&name, inner, pairs),
            serde_json::Value::Array(items) => pairs.extend(items.iter().map(|item| (name.clone(), scalar_text(item)))),
            scalar => pairs.push((name, scalar_text(scalar))),
        }
    }
}

/// A path parameter's value as text in `simple` style: strings as they are, numbers and
/// booleans as JSON spells them, arrays `a,b`, objects `k,v`; the value is then
/// percent-encoded into its segment by [`endpoint`].
// Unused in a crate whose path parameters are all strings.
#[allow(dead_code)]
pub(crate) fn path_text<T: serde::Serialize + ?Sized>(name: &'static str, value: &T) -> Result<String, InvalidRequest> {
    let text = match to_json(name, value)? {
        serde_json::Value::Array(items) => join(items.iter().map(scalar_text), ","),
        serde_json::Value::Object(object) => {
            join(object.iter().flat_map(|(key, item)| [key.clone(), scalar_text(item)]), ",")
        }
        scalar => scalar_text(&scalar),
    };
    Ok(text)
}
