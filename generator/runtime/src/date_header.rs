//! `format: date-time` response headers: RFC 3339 or HTTP dates. A file of its own so
//! that only crates with such headers depend on `chrono` through it.

use reqwest::header::HeaderMap;

use crate::response::HeaderError;

/// A `format: date-time` header, as RFC 3339 (what the format says) or as an HTTP date
/// (`Tue, 15 Nov 1994 08:12:31 GMT`, what `Last-Modified` and its kind carry, and what
/// specs often type as `date-time`); `None` when the response does not have it.
///
/// # Errors
/// A value that is neither.
pub(crate) fn optional_date_header(
    headers: &HeaderMap,
    name: &'static str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, HeaderError> {
    let Some(text) = crate::response::optional_header::<String>(headers, name)? else {
        return Ok(None);
    };
    if let Ok(date) = chrono::DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(Some(date.with_timezone(&chrono::Utc)));
    }
    httpdate::parse_http_date(text.trim())
        .map(|time| Some(chrono::DateTime::<chrono::Utc>::from(time)))
        .map_err(|_| HeaderError {
            name,
            reason: "is neither an RFC 3339 date-time nor an HTTP date".to_string(),
        })
}

/// As [`optional_date_header`], for a required header.
///
/// # Errors
/// As [`optional_date_header`], and a missing header.
pub(crate) fn required_date_header(
    headers: &HeaderMap,
    name: &'static str,
) -> Result<chrono::DateTime<chrono::Utc>, HeaderError> {
    optional_date_header(headers, name)?.ok_or_else(|| HeaderError {
        name,
        reason: "is missing".to_string(),
    })
}
