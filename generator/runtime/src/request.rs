//! Building request URLs and reading responses, shared by every operation.

use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderValue, COOKIE};
use reqwest::Url;

use crate::error::{BuildError, InvalidRequest, RawResponse};
use crate::redact::Secrets;

/// Bytes of a parameter value sent as is in a path: RFC 3986's unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`). Everything else, control characters, `/`, `?`, `#`, `%`,
/// `:` and non-ASCII included, is percent-encoded, as RFC 6570 expands `{name}`.
pub(crate) const PATH_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Bytes of a path template's own text that are percent-encoded: what cannot stand in a
/// path segment (`/` separates segments and is kept). `\` too: URL parsing would read it
/// as a `/` in an `http` URL, adding a segment the spec does not have.
pub(crate) const TEMPLATE_TEXT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'\\')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'?')
    .add(b'{')
    .add(b'}')
    .add(b'%');

/// A path parameter's value as [`Call::method`](crate::call::Call::method) takes it.
///
/// Text (a string parameter, or [`path_text`] of any other value) is the value in
/// `simple` style, the path default: every byte of it but the unreserved ones is
/// percent-encoded (see [`PATH_VALUE`]). A [`StyledPathValue`] from [`path_value`] is laid
/// out by its style (`label`, `matrix`): the delimiters the style adds (`.`, `;`, `=`,
/// `,`) are sent as they are, the names and values between them percent-encoded the same
/// way.
pub(crate) trait PathValue {
    /// Appends the value to `path`, as sent.
    fn encode_into(&self, path: &mut String);
}

impl PathValue for String {
    fn encode_into(&self, path: &mut String) {
        push_value(path, self);
    }
}

impl PathValue for &str {
    fn encode_into(&self, path: &mut String) {
        push_value(path, self);
    }
}

/// A path parameter spelled by its `Display`, written straight into the path with no
/// string of its own: integers, booleans and UUIDs, whose `Display` is their JSON
/// spelling, as [`path_text`] would give it (a unit test holds the two together).
pub(crate) struct Displayed<'a, T>(pub(crate) &'a T);

impl<T: std::fmt::Display> PathValue for Displayed<'_, T> {
    fn encode_into(&self, path: &mut String) {
        use std::fmt::Write as _;
        let start = path.len();
        // Writing to a `String` cannot fail.
        let _ = write!(path, "{}", self.0);
        if !path.as_bytes()[start..]
            .iter()
            .all(|&byte| UNRESERVED[usize::from(byte)])
        {
            let text = path.split_off(start);
            push_value(path, &text);
        }
    }
}

/// Whether `byte` is sent as it is in a path parameter's value: RFC 3986's unreserved
/// characters, what [`PATH_VALUE`] leaves alone (a unit test holds the two together).
const fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Whether `byte` of a path template's own text is sent as it is: what
/// [`TEMPLATE_TEXT`] leaves alone (a unit test holds the two together).
const fn is_template_text(byte: u8) -> bool {
    matches!(byte, b'!'..=b'~')
        && !matches!(
            byte,
            b'"' | b'#' | b'<' | b'>' | b'`' | b'?' | b'{' | b'}' | b'%' | b'\\'
        )
}

/// [`is_unreserved`] (`template: false`) or [`is_template_text`] of every byte, looked
/// up rather than worked out for each byte of each request.
const fn byte_table(template: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = if template {
            is_template_text(byte as u8)
        } else {
            is_unreserved(byte as u8)
        };
        byte += 1;
    }
    table
}

static UNRESERVED: [bool; 256] = byte_table(false);
static TEMPLATE_TEXT_AS_IS: [bool; 256] = byte_table(true);

/// Appends a parameter value, percent-encoded by [`PATH_VALUE`]. Why the check first:
/// most values (names, ids) have nothing to encode, and are then copied in one step.
fn push_value(path: &mut String, text: &str) {
    if text.bytes().all(|byte| UNRESERVED[usize::from(byte)]) {
        path.push_str(text);
    } else {
        path.extend(utf8_percent_encode(text, PATH_VALUE));
    }
}

/// Appends a template's own text, percent-encoded by [`TEMPLATE_TEXT`]; as
/// [`push_value`], text with nothing to encode is copied in one step.
fn push_template_text(path: &mut String, text: &str) {
    if text
        .bytes()
        .all(|byte| TEMPLATE_TEXT_AS_IS[usize::from(byte)])
    {
        path.push_str(text);
    } else {
        path.extend(utf8_percent_encode(text, TEMPLATE_TEXT));
    }
}

/// Parses and checks a base URL. A trailing `/` is allowed and ignored.
///
/// Whitespace and control characters are refused rather than silently dropped (as URL
/// parsing does), so the client never calls a URL other than the one given.
pub(crate) fn parse_base_url(url: &str) -> Result<Url, BuildError> {
    // A refused base URL is shown without its password, query and fragment: a query may
    // carry a secret (`?token=...`), and a base URL has no business having one.
    let shown = without_password(url);
    let shown = match shown.find(['?', '#']) {
        Some(cut) => format!("{}{}", &shown[..cut + 1], crate::redact::REDACTED),
        None => shown,
    };
    let invalid = |reason: String| BuildError::InvalidBaseUrl {
        url: shown.clone(),
        reason,
    };
    if let Some(position) = url
        .bytes()
        .position(|byte| byte.is_ascii_control() || byte == b' ')
    {
        return Err(invalid(format!(
            "byte {position} is whitespace or a control character (0x{:02X})",
            url.as_bytes()[position]
        )));
    }
    let parsed = Url::parse(url).map_err(|error| invalid(error.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "scheme `{}` is not http or https",
            parsed.scheme()
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid(
            "a base URL cannot have a query or fragment".to_string(),
        ));
    }
    Ok(parsed)
}

/// `url` without its user info (`scheme://user:password@host`), and that user info as
/// the value of an `Authorization: Basic` header, percent-decoded as RFC 3986 writes it
/// (a password without a user name is `:password`). As reqwest does for a URL it is
/// given; done here once, since requests are made from parts (see `Core::new`).
pub(crate) fn split_user_info(url: &Url) -> (Url, Option<String>) {
    if url.username().is_empty() && url.password().is_none() {
        return (url.clone(), None);
    }
    // Lossy, as `Secrets::add_common` decodes it, so what is sent is what is redacted.
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8_lossy()
            .into_owned()
    };
    let header = basic_credentials(
        &decode(url.username()),
        &decode(url.password().unwrap_or("")),
    );
    let mut bare = url.clone();
    // Only a URL that cannot have user info (no host) refuses these, and it has none.
    let _ = bare.set_username("");
    let _ = bare.set_password(None);
    (bare, Some(header))
}

/// `url` with the password of its user info (`scheme://user:password@host`) replaced by
/// `[redacted]`, for error messages and `Debug`. Works on text that does not parse.
pub(crate) fn without_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let authority_start = scheme_end + 3;
    let authority_end = url[authority_start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |end| authority_start + end);
    let authority = &url[authority_start..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_string();
    };
    let Some(colon) = authority[..at].find(':') else {
        return url.to_string();
    };
    format!(
        "{}{}{}",
        &url[..authority_start + colon + 1],
        crate::redact::REDACTED,
        &url[authority_start + at..]
    )
}

/// The operation's URL: `base`'s path followed by the path `template` (as the spec
/// writes it, e.g. `/orgs/{org_id}/files/{name}.{ext}`), each `{name}` filled with the
/// next of `values`.
///
/// Each parameter value is percent-encoded byte by byte (see [`PATH_VALUE`] and
/// [`PathValue`]) before the URL library sees it, so a tab or line break is sent as
/// `%09`/`%0A`, never dropped.
/// A segment holding a parameter that would still be `""`, `.` or `..` as sent (which
/// would merge two segments or climb out of one) is refused instead of calling a
/// different URL.
///
/// Why one pass over the template, into one pre-sized string, text with nothing to
/// encode copied whole: this runs for every request, and the bench (`cargo xtask bench
/// client`) counts its instructions.
pub(crate) fn endpoint(
    base: &Url,
    template: &'static str,
    values: &[&dyn PathValue],
) -> Result<Url, InvalidRequest> {
    let mismatch = || InvalidRequest {
        parameter: "path",
        reason: format!("the template {template:?} and its values do not match"),
    };
    let base_path = base.path().trim_end_matches('/');
    let mut path = String::with_capacity(base_path.len() + template.len() + 16 * values.len());
    path.push_str(base_path);
    // The segment being built: where it starts in `path`, and the first parameter in it.
    let mut segment_start = path.len();
    let mut segment_parameter: Option<&'static str> = None;
    let check = |path: &str, start: usize, parameter: Option<&'static str>| match parameter {
        Some(name) if matches!(path[start..].trim_start_matches('/'), "" | "." | "..") => {
            Err(InvalidRequest {
                parameter: name,
                reason: format!(
                    "the path segment would be {:?} as sent, which changes the URL",
                    path[start..].trim_start_matches('/')
                ),
            })
        }
        _ => Ok(()),
    };
    let mut values = values.iter();
    // Bytes, not chars: `/`, `{` and `}` are ASCII, and a UTF-8 byte of another character
    // is never one of them.
    let bytes = template.as_bytes();
    let mut literal_start = 0;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'/' => {
                push_template_text(&mut path, &template[literal_start..at]);
                check(&path, segment_start, segment_parameter)?;
                segment_start = path.len();
                segment_parameter = None;
                path.push('/');
                literal_start = at + 1;
            }
            b'{' => {
                push_template_text(&mut path, &template[literal_start..at]);
                let close = bytes[at..]
                    .iter()
                    .position(|&byte| byte == b'}')
                    .ok_or_else(mismatch)?
                    + at;
                let value = values.next().ok_or_else(mismatch)?;
                segment_parameter = segment_parameter.or(Some(&template[at + 1..close]));
                value.encode_into(&mut path);
                at = close;
                literal_start = close + 1;
            }
            _ => {}
        }
        at += 1;
    }
    push_template_text(&mut path, &template[literal_start..]);
    if values.next().is_some() {
        return Err(mismatch());
    }
    check(&path, segment_start, segment_parameter)?;
    // Every byte that would end the path or change its meaning (`?`, `#`, `\`, controls) is
    // percent-encoded above. Why parsed, not set on a copy of `base`: the copy's text has
    // no room to spare, and `set_path` grew it three times for a typical path, each time
    // by a `realloc`, which takes the allocator's lock (`cargo xtask bench client`). A path
    // that starts with one `/` is read relative to `base`, whose scheme and host are then
    // copied rather than parsed again (a host is most of a URL's parsing). Any other path
    // (`//...`, which would be read as a host; empty; or, from a spec that forgot it, no
    // `/` at all) is written after `base`'s host, behind a `/` when it has none.
    let invalid = |error: url::ParseError| InvalidRequest {
        parameter: "path",
        reason: format!("the URL is not valid: {error}"),
    };
    if path.starts_with('/') && !path.starts_with("//") {
        return Url::options()
            .base_url(Some(base))
            .parse(&path)
            .map_err(invalid);
    }
    let slash = if path.starts_with('/') { "" } else { "/" };
    Url::parse(&format!(
        "{}{slash}{path}",
        &base[..url::Position::BeforePath]
    ))
    .map_err(invalid)
}

/// Why `value` cannot be sent as a credential in an HTTP header: it must be non-empty
/// printable ASCII (space included). `None` when it can.
fn header_text_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("it is empty".to_string());
    }
    let (position, byte) = value
        .bytes()
        .enumerate()
        .find(|(_, byte)| !(b' '..=b'~').contains(byte))?;
    Some(match byte {
        b'\r' | b'\n' => format!("it contains a line break at byte {position}"),
        byte if byte.is_ascii_control() => {
            format!("it contains the control character 0x{byte:02X} at byte {position}")
        }
        _ => format!(
            "it contains a non-ASCII character at byte {position} (header credentials are ASCII)"
        ),
    })
}

/// Checks a credential sent as a header value (a bearer token, an API key header) at
/// `build`, so a request never fails later for a value no header can hold.
pub(crate) fn check_header_credential(
    credential: &'static str,
    value: &str,
) -> Result<(), BuildError> {
    match header_text_problem(value) {
        Some(reason) => Err(BuildError::InvalidCredential { credential, reason }),
        None => Ok(()),
    }
}

/// Checks a bearer token (RFC 6750's `b64token`): a header credential without spaces,
/// which would end the token early.
pub(crate) fn check_bearer_token(credential: &'static str, value: &str) -> Result<(), BuildError> {
    check_header_credential(credential, value)?;
    match value.bytes().position(|byte| byte == b' ') {
        Some(position) => Err(BuildError::InvalidCredential {
            credential,
            reason: format!("it contains a space at byte {position} (a bearer token has none)"),
        }),
        None => Ok(()),
    }
}

/// Checks a credential sent as a cookie value: a header value without the `;`, `,`,
/// `"`, `\` and whitespace that would end or break the cookie (RFC 6265).
pub(crate) fn check_cookie_credential(
    credential: &'static str,
    value: &str,
) -> Result<(), BuildError> {
    check_header_credential(credential, value)?;
    match value.bytes().position(|byte| matches!(byte, b';' | b',' | b'"' | b'\\' | b' ')) {
        Some(position) => Err(BuildError::InvalidCredential {
            credential,
            reason: format!("byte {position} is a character a cookie value cannot hold (`;`, `,`, `\"`, `\\`, space)"),
        }),
        None => Ok(()),
    }
}

/// Checks a credential that is percent-encoded or base64-encoded before sending (a query
/// API key, basic credentials): any text but control characters.
pub(crate) fn check_text_credential(
    credential: &'static str,
    value: &str,
) -> Result<(), BuildError> {
    match value.bytes().position(|byte| byte.is_ascii_control()) {
        Some(position) => Err(BuildError::InvalidCredential {
            credential,
            reason: format!("it contains a control character or line break at byte {position}"),
        }),
        None => Ok(()),
    }
}

/// Checks basic credentials (RFC 7617): no control characters, and no `:` in the user
/// name, which would move the rest of it into the password.
pub(crate) fn check_basic_credentials(
    user_label: &'static str,
    username: &str,
    password_label: &'static str,
    password: &str,
) -> Result<(), BuildError> {
    check_text_credential(user_label, username)?;
    check_text_credential(password_label, password)?;
    match username.find(':') {
        Some(position) => Err(BuildError::InvalidCredential {
            credential: user_label,
            reason: format!("it contains `:` at byte {position}, which basic authentication uses as the separator"),
        }),
        None => Ok(()),
    }
}

/// Redirects an API client follows: up to 10, and only within the origin (scheme, host
/// and port) of the request. A redirect elsewhere is not followed: its 3xx response is
/// returned, so credentials (the `Authorization` header, API keys, sensitive default
/// headers) never reach a host they were not given for.
pub(crate) fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > 10 {
            attempt.error("more than 10 redirects")
        } else {
            attempt.follow()
        }
    })
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
pub(crate) fn basic_credentials(username: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let plain = format!("{username}:{password}");
    let mut text = String::from("Basic ");
    for chunk in plain.as_bytes().chunks(3) {
        let bytes = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let bits = (u32::from(bytes[0]) << 16) | (u32::from(bytes[1]) << 8) | u32::from(bytes[2]);
        for index in 0..4 {
            if index <= chunk.len() {
                text.push(char::from(
                    ALPHABET[((bits >> (18 - 6 * index)) & 0x3f) as usize],
                ));
            } else {
                text.push('=');
            }
        }
    }
    text
}

/// `url` with the values of query parameters that carry API keys, and a password in
/// its user info, replaced by `[redacted]`, for observers and errors.
pub(crate) fn redact_url(url: &mut Url, secrets: &Secrets) {
    if url.password().is_some() {
        let _ = url.set_password(Some(crate::redact::REDACTED));
    }
    let secret = secrets.query_parameters();
    if url
        .query_pairs()
        .any(|(name, _)| secret.contains(&name.as_ref()))
    {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if secret.contains(&name.as_ref()) {
                    crate::redact::REDACTED.to_string()
                } else {
                    value.into_owned()
                };
                (name.into_owned(), value)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    // Anything else that spells a secret: a server's redirect can put one anywhere.
    if secrets.occur_in(url.as_str().as_bytes()) {
        let text =
            |part: &str| String::from_utf8_lossy(&secrets.redact(part.as_bytes())).into_owned();
        let path = text(url.path());
        url.set_path(&path);
        if let Some(query) = url.query().map(text) {
            url.set_query(Some(&query));
        }
        if let Some(fragment) = url.fragment().map(text) {
            url.set_fragment(Some(&fragment));
        }
    }
}

/// Why reading a response failed.
pub(crate) enum ReadError {
    /// The connection failed or timed out.
    Transport(reqwest::Error),
    /// The body is longer than `limit`; the response holds what was read, at most `limit`
    /// bytes.
    TooLarge {
        /// Status, headers and the body read so far.
        response: RawResponse,
        /// The limit, in bytes.
        limit: u64,
    },
}

/// Reads the whole response (status, headers and body), at most `limit` body bytes.
///
/// A `Content-Length` over the limit fails before any of the body is read; a body that
/// grows past it (chunked, or longer than announced) fails as soon as it does, so memory
/// never holds more than the limit.
///
/// A function returning an `async` block, not an `async fn`, so that the call's future
/// holds the response once (see `transport::execute`).
#[allow(clippy::manual_async_fn)]
pub(crate) fn read_response<'a>(
    mut response: reqwest::Response,
    limit: u64,
    secrets: &'a Arc<Secrets>,
    request_id_header: Option<&'static str>,
) -> impl std::future::Future<Output = Result<RawResponse, ReadError>> + 'a {
    async move {
        let received = |response: &mut reqwest::Response, body: bytes::Bytes| {
            RawResponse::received(
                response.status(),
                // Taken, not copied: nothing reads the headers from `response` after.
                std::mem::take(response.headers_mut()),
                body,
                secrets,
                request_id_header,
            )
        };
        if response
            .content_length()
            .is_some_and(|length| length > limit)
        {
            return Err(ReadError::TooLarge {
                response: received(&mut response, bytes::Bytes::new()),
                limit,
            });
        }
        let capacity = response.content_length().unwrap_or(0).min(limit);
        let limit_bytes = usize::try_from(limit).unwrap_or(usize::MAX);
        // A body that arrives in one chunk (most JSON answers) is kept as it came, not
        // copied; from a second chunk on, they are joined in `body`.
        let mut first: Option<bytes::Bytes> = None;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
            if body.is_empty() {
                match first.take() {
                    None if chunk.len() <= limit_bytes => {
                        first = Some(chunk);
                        continue;
                    }
                    None => {}
                    Some(previous) => {
                        body.reserve(usize::try_from(capacity).unwrap_or(0).max(previous.len()));
                        body.extend_from_slice(&previous);
                    }
                }
            }
            let room = limit_bytes.saturating_sub(body.len());
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                return Err(ReadError::TooLarge {
                    response: received(&mut response, body.into()),
                    limit,
                });
            }
            body.extend_from_slice(&chunk);
        }
        let body = match first {
            Some(first) => first,
            None => body.into(),
        };
        Ok(received(&mut response, body))
    }
}

/// How a parameter value is spelled (OpenAPI's `style` and `explode`).
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
    /// `label` (path): `.v`; arrays `.a,b` (`.a.b` exploded); objects `.k,v` (`.k=v`
    /// exploded).
    Label {
        /// `explode`.
        explode: bool,
    },
    /// `matrix` (path): `;name=v`; arrays `;name=a,b` (`;name=a;name=b` exploded); objects
    /// `;name=k,v` (`;k=v` exploded).
    Matrix {
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
    pub(crate) const FORM: Style = Style::Form { explode: true };
    /// `simple` with `explode: false`: OpenAPI's default for path and header parameters.
    pub(crate) const SIMPLE: Style = Style::Simple { explode: false };
    /// `label` with `explode: false` (the default).
    pub(crate) const LABEL: Style = Style::Label { explode: false };
    /// `matrix` with `explode: false` (the default).
    pub(crate) const MATRIX: Style = Style::Matrix { explode: false };
}

/// The `(name, value)` pairs a query or cookie parameter becomes, unencoded (reqwest
/// percent-encodes query pairs; [`cookie_header`] encodes cookies).
///
/// The value is first turned into JSON, so every generated type (enums, dates, UUIDs,
/// structs) is spelled the way the spec's schema says, then laid out by `style`:
/// arrays as repeated pairs (`form`, exploded) or one joined value; objects as one pair
/// per property (`form`, exploded), `name[key]` pairs (`deepObject`) or one joined value.
pub(crate) fn query_pairs<T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    style: Style,
) -> Result<Vec<(String, String)>, InvalidRequest> {
    let value = to_json(name, value)?;
    let mut pairs = Vec::new();
    match (&value, style) {
        // `None`: the parameter is left out.
        (serde_json::Value::Null, _) => {}
        (value, Style::Json) => pairs.push((name.to_string(), value.to_string())),
        (serde_json::Value::Array(items), Style::Form { explode: true } | Style::DeepObject) => {
            pairs.extend(
                items
                    .iter()
                    .map(|item| (name.to_string(), scalar_text(item))),
            );
        }
        (serde_json::Value::Array(items), _) => {
            pairs.push((
                name.to_string(),
                join(items.iter().map(scalar_text), delimiter(style)),
            ));
        }
        (serde_json::Value::Object(object), Style::Form { explode: true }) => {
            pairs.extend(
                object
                    .iter()
                    .map(|(key, item)| (key.clone(), scalar_text(item))),
            );
        }
        (serde_json::Value::Object(object), Style::DeepObject) => {
            deep_object(name, object, &mut pairs)
        }
        (serde_json::Value::Object(object), _) => {
            let flat = object
                .iter()
                .flat_map(|(key, item)| [key.clone(), scalar_text(item)]);
            pairs.push((name.to_string(), join(flat, delimiter(style))));
        }
        (scalar, _) => pairs.push((name.to_string(), scalar_text(scalar))),
    }
    Ok(pairs)
}

/// A header parameter's value in `simple` style: arrays `a,b`; objects `k,v` (`k=v`
/// when exploded); `None` for `null` (the header is left out).
pub(crate) fn header_value<T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    style: Style,
) -> Result<Option<reqwest::header::HeaderValue>, InvalidRequest> {
    let text = match (to_json(name, value)?, style) {
        (serde_json::Value::Null, _) => return Ok(None),
        (value, Style::Json) => value.to_string(),
        (serde_json::Value::Array(items), _) => join(items.iter().map(scalar_text), ","),
        (serde_json::Value::Object(object), Style::Simple { explode: true }) => join(
            object
                .iter()
                .map(|(key, item)| format!("{key}={}", scalar_text(item))),
            ",",
        ),
        (serde_json::Value::Object(object), _) => join(
            object
                .iter()
                .flat_map(|(key, item)| [key.clone(), scalar_text(item)]),
            ",",
        ),
        (scalar, _) => scalar_text(&scalar),
    };
    reqwest::header::HeaderValue::from_str(&text)
        .map(Some)
        .map_err(|_| InvalidRequest {
            parameter: name,
            reason:
                "contains characters a header value cannot hold (control characters or newlines)"
                    .to_string(),
        })
}

/// The `Cookie` header for `pairs`, each value percent-encoded so `;`, `,`, spaces and
/// quotes cannot end a cookie early.
pub(crate) fn cookie_header(
    pairs: &[(String, String)],
) -> Result<reqwest::header::HeaderValue, InvalidRequest> {
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

/// One `multipart/form-data` file part: the bytes, named after the property, as
/// `application/octet-stream`, OpenAPI 3.0's content type for a `format: binary` property
/// (RFC 7578 asks for a file part's type too; some servers refuse a file part without one).
pub(crate) fn file_part(
    name: &'static str,
    bytes: &[u8],
) -> Result<reqwest::multipart::Part, InvalidRequest> {
    reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name(name)
        .mime_str("application/octet-stream")
        .map_err(|error| InvalidRequest {
            parameter: name,
            reason: error.to_string(),
        })
}

/// One `multipart/form-data` part from a property value: text for strings and other
/// scalars, JSON text for arrays and objects.
pub(crate) fn text_part<T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<reqwest::multipart::Part, InvalidRequest> {
    let value = to_json(name, value)?;
    let part = match &value {
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
            reqwest::multipart::Part::text(value.to_string())
                .mime_str("application/json")
                .map_err(|error| InvalidRequest {
                    parameter: name,
                    reason: error.to_string(),
                })?
        }
        scalar => reqwest::multipart::Part::text(scalar_text(scalar)),
    };
    Ok(part)
}

/// As [`text_part`], sent as `content_type` (the spec's `encoding` for the property).
pub(crate) fn typed_part<T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    content_type: &'static str,
) -> Result<reqwest::multipart::Part, InvalidRequest> {
    text_part(name, value)?
        .mime_str(content_type)
        .map_err(|_| InvalidRequest {
            parameter: name,
            reason: format!("`{content_type}` is not a media type"),
        })
}

fn to_json<T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<serde_json::Value, InvalidRequest> {
    serde_json::to_value(value).map_err(|error| InvalidRequest {
        parameter: name,
        reason: error.to_string(),
    })
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
/// An `application/x-www-form-urlencoded` body's pairs, as OpenAPI's default encoding
/// for it says (`style: form`, `explode: true`): a property per pair, an array as one
/// pair per item, an object as its JSON text; absent and `null` properties left out.
///
/// # Errors
/// A body that is not an object.
pub(crate) fn form_pairs<T: serde::Serialize + ?Sized>(
    body: &T,
) -> Result<Vec<(String, String)>, InvalidRequest> {
    let serde_json::Value::Object(object) = to_json("body", body)? else {
        return Err(InvalidRequest {
            parameter: "body",
            reason: "a form body must be an object".to_string(),
        });
    };
    let mut pairs = Vec::new();
    for (name, value) in object {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => {
                for item in items {
                    let text = match &item {
                        serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                            item.to_string()
                        }
                        scalar => scalar_text(scalar),
                    };
                    pairs.push((name.clone(), text));
                }
            }
            serde_json::Value::Object(_) => pairs.push((name, value.to_string())),
            scalar => pairs.push((name, scalar_text(&scalar))),
        }
    }
    Ok(pairs)
}

fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `name[key]=value` pairs, recursing into nested objects as `name[key][sub]`.
fn deep_object(
    prefix: &str,
    object: &serde_json::Map<String, serde_json::Value>,
    pairs: &mut Vec<(String, String)>,
) {
    for (key, value) in object {
        let name = format!("{prefix}[{key}]");
        match value {
            serde_json::Value::Object(inner) => deep_object(&name, inner, pairs),
            serde_json::Value::Array(items) => {
                pairs.extend(items.iter().map(|item| (name.clone(), scalar_text(item))))
            }
            scalar => pairs.push((name, scalar_text(scalar))),
        }
    }
}

/// A path parameter's value as text in `simple` style: strings as they are, numbers and
/// booleans as JSON spells them, arrays `a,b`, objects `k,v`; the value is then
/// percent-encoded into its segment by [`endpoint`], its commas included.
pub(crate) fn path_text<T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<String, InvalidRequest> {
    Ok(simple_text(&to_json(name, value)?))
}

fn simple_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Array(items) => join(items.iter().map(scalar_text), ","),
        serde_json::Value::Object(object) => join(
            object
                .iter()
                .flat_map(|(key, item)| [key.clone(), scalar_text(item)]),
            ",",
        ),
        scalar => scalar_text(scalar),
    }
}

/// A path parameter's value to be laid out by `style` (`label` or `matrix`) when the path
/// is built; see [`StyledPathValue`].
pub(crate) fn path_value<T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    style: Style,
) -> Result<StyledPathValue, InvalidRequest> {
    Ok(StyledPathValue {
        name,
        style,
        value: to_json(name, value)?,
    })
}

/// A path parameter's value in its JSON form (so every generated type is spelled as its
/// schema says), sent as OpenAPI's style tables (RFC 6570's `{.name}` and `{;name}`)
/// say, e.g. for `name` = `[3, 4]`:
///
/// | style | `explode: false` | `explode: true` |
/// | --- | --- | --- |
/// | `label` | `.3,4` | `.3.4` |
/// | `matrix` | `;name=3,4` | `;name=3;name=4` |
///
/// and for `{"x": 1, "y": 2}`: `.x,1,y,2`, `.x=1.y=2`, `;name=x,1,y,2`, `;x=1;y=2`. A
/// scalar is `.v` or `;name=v` (`;name` when empty). An empty array or object, or
/// `null`, is nothing at all. Names, keys and values are percent-encoded as in `simple`
/// style (see [`PATH_VALUE`]): a `,`, `;`, `=` or `/` in them is sent encoded, and only
/// the style's own delimiters stand as they are. Any other style is `simple`.
#[derive(Debug, Clone)]
pub(crate) struct StyledPathValue {
    name: &'static str,
    style: Style,
    value: serde_json::Value,
}

impl PathValue for StyledPathValue {
    fn encode_into(&self, path: &mut String) {
        let (matrix, explode) = match self.style {
            Style::Label { explode } => (false, explode),
            Style::Matrix { explode } => (true, explode),
            _ => return simple_text(&self.value).encode_into(path),
        };
        let encoded = |text: &str| utf8_percent_encode(text, PATH_VALUE).to_string();
        // The members, encoded: an array's items (no key), an object's properties, or
        // the one scalar.
        let members: Vec<(Option<String>, String)> = match &self.value {
            serde_json::Value::Null => Vec::new(),
            serde_json::Value::Array(items) => items
                .iter()
                .map(|item| (None, encoded(&scalar_text(item))))
                .collect(),
            serde_json::Value::Object(object) => object
                .iter()
                .map(|(key, item)| (Some(encoded(key)), encoded(&scalar_text(item))))
                .collect(),
            scalar => vec![(None, encoded(&scalar_text(scalar)))],
        };
        if members.is_empty() {
            return;
        }
        let name = encoded(self.name);
        // `.text` (label), or `;name=text` (matrix; `;name` when the text is empty).
        let mut push = |name: &str, text: &str| {
            if matrix {
                path.push(';');
                path.push_str(name);
                if !text.is_empty() {
                    path.push('=');
                }
            } else {
                path.push('.');
            }
            path.push_str(text);
        };
        if explode {
            for (key, value) in &members {
                match key {
                    // An exploded object's members are named by their keys.
                    Some(key) if matrix => push(key, value),
                    Some(key) => push("", &format!("{key}={value}")),
                    None => push(&name, value),
                }
            }
        } else {
            let list = join(
                members
                    .into_iter()
                    .flat_map(|(key, value)| key.into_iter().chain([value])),
                ",",
            );
            push(&name, &list);
        }
    }
}
