//! A file sent as one part of a `multipart/form-data` body.

use std::fmt;

use bytes::Bytes;

/// A file in a `multipart/form-data` body (a `format: binary` property): its bytes, the
/// file name the part carries, and its `Content-Type`.
///
/// The bytes are held once: they are reference-counted ([`Bytes`]), so sending (and
/// retrying) the request does not copy them. Without [`file_name`](Self::file_name) the
/// part is named after the property; without [`content_type`](Self::content_type) it is
/// sent as the spec's `encoding` for the property says, else `application/octet-stream`.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FilePart {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file of `bytes` (a `Vec<u8>`, `Bytes`, or a `&'static [u8]`).
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The file name the part carries (`filename=` in its `Content-Disposition`).
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The part's `Content-Type`, e.g. `image/png`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The part for property `name`: the caller's file name and type, else `name` and
    /// `default_type`.
    pub(crate) fn part(
        &self,
        name: &'static str,
        default_type: &'static str,
    ) -> Result<reqwest::multipart::Part, crate::error::InvalidRequest> {
        let content_type = self.content_type.as_deref().unwrap_or(default_type);
        reqwest::multipart::Part::stream_with_length(
            reqwest::Body::from(self.bytes.clone()),
            self.bytes.len() as u64,
        )
        .file_name(self.file_name.clone().unwrap_or_else(|| name.to_owned()))
        .mime_str(content_type)
        .map_err(|_| crate::error::InvalidRequest {
            parameter: name,
            reason: format!("`{content_type}` is not a media type"),
        })
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        FilePart::new(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> Self {
        FilePart::new(bytes)
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}
