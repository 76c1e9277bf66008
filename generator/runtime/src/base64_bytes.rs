//! Bytes that travel as base64 text: the type of a `format: byte` schema.

use std::fmt;
use std::ops::Deref;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

/// Binary data that is base64 text on the wire (OpenAPI's `format: byte`): the bytes in
/// Rust, the standard alphabet with padding in JSON. Decoding also takes text without
/// padding and the URL-safe alphabet (`-`, `_`), which servers send too.
///
/// Build it from a `Vec<u8>` or a `&[u8]`; read it as a `&[u8]` (it derefs to one).
/// `Debug` shows the base64 text, as the JSON would.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64Bytes(pub Vec<u8>);

/// The standard alphabet, padding optional.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The URL-safe alphabet, padding optional.
const LENIENT_URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

impl Base64Bytes {
    /// The base64 text, as it is sent.
    pub fn encoded(&self) -> String {
        STANDARD.encode(&self.0)
    }

    /// Decodes base64 text (standard or URL-safe alphabet, padded or not).
    ///
    /// # Errors
    /// Text that is not base64 in either alphabet.
    pub fn decode(text: &str) -> Result<Self, base64::DecodeError> {
        LENIENT
            .decode(text)
            .or_else(|error| LENIENT_URL_SAFE.decode(text).map_err(|_| error))
            .map(Base64Bytes)
    }

    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl Deref for Base64Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for Base64Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Base64Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Base64Bytes(bytes)
    }
}

impl From<&[u8]> for Base64Bytes {
    fn from(bytes: &[u8]) -> Self {
        Base64Bytes(bytes.to_vec())
    }
}

impl fmt::Debug for Base64Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64Bytes({:?})", self.encoded())
    }
}

impl serde::Serialize for Base64Bytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encoded())
    }
}

impl<'de> serde::Deserialize<'de> for Base64Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
        Base64Bytes::decode(&text)
            .map_err(|error| serde::de::Error::custom(format_args!("invalid base64: {error}")))
    }
}
