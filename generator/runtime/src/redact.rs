//! Keeping the client's own credentials out of everything it shows.
//!
//! Redacting by header name alone is not enough: a server can quote the request's
//! `Authorization` header in an error body, or echo it in a header of any name. So the
//! client remembers the secrets it was given (bearer token, basic credentials, API keys,
//! sensitive default headers, a password in the base URL) and replaces each of them, in
//! the spellings a server is likely to echo (as sent, JSON-escaped, percent-encoded),
//! wherever it appears in `Display`, `Debug` and observer output.

use std::borrow::Cow;
use std::fmt;

/// Secrets shorter than this are not searched for in free text (see [`Secrets::add_bytes`]).
pub(crate) const MIN_SEARCHED_LEN: usize = 4;

/// What replaces a secret.
pub(crate) const REDACTED: &str = "[redacted]";

/// What `Debug` shows in place of a secret value (a `format: password` or `writeOnly`
/// property or parameter): `[redacted]`.
pub(crate) struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}

/// The client's secrets, each in every spelling that is redacted. Longest first, so a
/// secret that contains another is replaced whole.
#[derive(Clone, Default)]
pub(crate) struct Secrets {
    spellings: Vec<Vec<u8>>,
    /// Names of query parameters whose values are API keys.
    query_parameters: &'static [&'static str],
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({} spellings)", self.spellings.len())
    }
}

impl Secrets {
    /// No secrets yet; the values of the query parameters `names` are API keys.
    pub(crate) fn with_query_parameters(names: &'static [&'static str]) -> Self {
        Self {
            spellings: Vec::new(),
            query_parameters: names,
        }
    }

    /// Names of query parameters whose values are API keys, shown `[redacted]` in URLs.
    pub(crate) fn query_parameters(&self) -> &'static [&'static str] {
        self.query_parameters
    }

    /// Remembers `secret` as sent, JSON-escaped (`/` as is and as `\/`) and
    /// percent-encoded (form and path style, upper- and lowercase hex). JSON can spell a
    /// character in more ways than any list holds (`\u002b`); [`Secrets::redact_json`]
    /// covers those by looking at the decoded strings.
    pub(crate) fn add(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        let json = serde_json::to_string(secret).unwrap_or_default();
        let json = json
            .get(1..json.len().saturating_sub(1))
            .unwrap_or_default()
            .to_string();
        let json_slash = json.replace('/', "\\/");
        let percent: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let path =
            percent_encoding::utf8_percent_encode(secret, crate::request::PATH_VALUE).to_string();
        let lower = |encoded: &str| lowercase_hex(encoded);
        let spellings = [
            secret.to_string(),
            lower(&percent),
            lower(&path),
            json,
            json_slash,
            percent,
            path,
        ];
        for spelling in spellings {
            self.add_bytes(spelling.as_bytes());
        }
    }

    /// Replaces the secrets in every string (and key) of a JSON value, whatever escapes
    /// spelled them in the text; whether anything was replaced.
    pub(crate) fn redact_json(&self, value: &mut serde_json::Value) -> bool {
        use serde_json::Value;
        match value {
            Value::String(text) => match self.redact(text.as_bytes()) {
                Cow::Owned(bytes) => {
                    *text = String::from_utf8_lossy(&bytes).into_owned();
                    true
                }
                Cow::Borrowed(_) => false,
            },
            Value::Array(items) => items
                .iter_mut()
                .fold(false, |changed, item| self.redact_json(item) | changed),
            Value::Object(object) => {
                let mut changed = false;
                let entries = std::mem::take(object);
                for (key, mut item) in entries {
                    changed |= self.redact_json(&mut item);
                    let key = match self.redact(key.as_bytes()) {
                        Cow::Owned(bytes) => {
                            changed = true;
                            String::from_utf8_lossy(&bytes).into_owned()
                        }
                        Cow::Borrowed(_) => key,
                    };
                    object.insert(key, item);
                }
                changed
            }
            _ => false,
        }
    }

    /// `bytes` with every secret replaced: in every spelling, and when `bytes` is JSON,
    /// also in its decoded strings (then re-serialised).
    pub(crate) fn redact_body(&self, bytes: &[u8]) -> Vec<u8> {
        let redacted = self.redact(bytes);
        if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&redacted) {
            if self.redact_json(&mut value) {
                if let Ok(text) = serde_json::to_vec(&value) {
                    return text;
                }
            }
        }
        redacted.into_owned()
    }

    /// Remembers `secret` exactly as these bytes (e.g. a sensitive header value).
    pub(crate) fn add_bytes(&mut self, secret: &[u8]) {
        // Why a minimum: a one- to three-byte secret occurs by chance in any text, and
        // replacing every `t` would make every message unreadable while protecting
        // nothing a guess would not find. Such values are still never shown by name
        // (credential headers, builder fields); they are only not searched for.
        if secret.len() < MIN_SEARCHED_LEN || self.spellings.iter().any(|known| known == secret) {
            return;
        }
        self.spellings.push(secret.to_vec());
        self.spellings
            .sort_by_key(|spelling| std::cmp::Reverse(spelling.len()));
    }

    /// Adds the secrets every client may hold whatever its security schemes: a password
    /// in the base URL (sent as basic credentials, see `request::split_user_info`) and the
    /// default headers
    /// marked sensitive.
    pub(crate) fn add_common(
        &mut self,
        base_url: &url::Url,
        default_headers: &reqwest::header::HeaderMap,
    ) {
        if let Some(password) = base_url.password() {
            let decode = |text: &str| {
                percent_encoding::percent_decode_str(text)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            let (username, decoded) = (decode(base_url.username()), decode(password));
            self.add(password);
            self.add(&decoded);
            self.add(&crate::request::basic_credentials(&username, &decoded)["Basic ".len()..]);
        }
        for value in default_headers
            .values()
            .filter(|value| value.is_sensitive())
        {
            match value.to_str() {
                Ok(text) => self.add(text),
                Err(_) => self.add_bytes(value.as_bytes()),
            }
        }
    }

    /// Whether no secret is known.
    pub(crate) fn is_empty(&self) -> bool {
        self.spellings.is_empty()
    }

    /// Whether `bytes` contain any secret.
    pub(crate) fn occur_in(&self, bytes: &[u8]) -> bool {
        self.spellings
            .iter()
            .any(|secret| memchr::memmem::find(bytes, secret).is_some())
    }

    /// `bytes` with every secret replaced by `[redacted]`; borrowed when none occurs.
    pub(crate) fn redact<'a>(&self, bytes: &'a [u8]) -> Cow<'a, [u8]> {
        if !self.occur_in(bytes) {
            return Cow::Borrowed(bytes);
        }
        let mut text = bytes.to_vec();
        for secret in &self.spellings {
            if memchr::memmem::find(&text, secret).is_none() {
                continue;
            }
            let mut replaced = Vec::with_capacity(text.len());
            let mut rest = text.as_slice();
            while let Some(at) = memchr::memmem::find(rest, secret) {
                replaced.extend_from_slice(&rest[..at]);
                replaced.extend_from_slice(REDACTED.as_bytes());
                rest = &rest[at + secret.len()..];
            }
            replaced.extend_from_slice(rest);
            text = replaced;
        }
        Cow::Owned(text)
    }

    /// The longest spelling, in bytes: how far past a cut a secret can reach.
    pub(crate) fn longest(&self) -> usize {
        self.spellings.first().map_or(0, Vec::len)
    }
}

/// `text` with the hex digits of its `%XX` escapes lowercase (`%2B` -> `%2b`).
fn lowercase_hex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut escape = 0;
    for c in text.chars() {
        if c == '%' {
            escape = 2;
            out.push(c);
        } else if escape > 0 {
            escape -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The most `Display` or `Debug` output of an error or response shows, in bytes: a
/// 20 MB body or error message is cut, not printed whole.
pub(crate) const SHOWN_LIMIT: usize = 4096;

/// Writes `args` to `f` with every secret replaced, cut after `limit` bytes (marked
/// `...`). Formatting stops storing text past the limit, so a huge value costs no
/// memory.
pub(crate) fn write_shown(
    f: &mut fmt::Formatter<'_>,
    secrets: Option<&Secrets>,
    limit: usize,
    args: fmt::Arguments<'_>,
) -> fmt::Result {
    let margin = secrets.map_or(0, Secrets::longest);
    let mut buffer = Bounded {
        text: String::new(),
        capacity: limit + margin,
        cut: false,
    };
    // `Bounded` never fails, so neither does formatting into it, unless `args` itself
    // reports an error: pass that on.
    fmt::write(&mut buffer, args)?;
    let text = match secrets {
        Some(secrets) => match secrets.redact(buffer.text.as_bytes()) {
            Cow::Borrowed(_) => Cow::Borrowed(buffer.text.as_str()),
            Cow::Owned(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
        },
        None => Cow::Borrowed(buffer.text.as_str()),
    };
    if text.len() > limit || buffer.cut {
        f.write_str(cut(&text, limit))?;
        f.write_str("...")
    } else {
        f.write_str(&text)
    }
}

/// The longest prefix of `text` that is at most `limit` bytes and ends on a character
/// boundary.
pub(crate) fn cut(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A `fmt::Write` that keeps the first `capacity` bytes and drops the rest.
struct Bounded {
    text: String,
    capacity: usize,
    cut: bool,
}

impl fmt::Write for Bounded {
    fn write_str(&mut self, piece: &str) -> fmt::Result {
        let room = self.capacity.saturating_sub(self.text.len());
        if piece.len() <= room {
            self.text.push_str(piece);
        } else {
            self.text.push_str(cut(piece, room));
            self.cut = true;
        }
        Ok(())
    }
}
