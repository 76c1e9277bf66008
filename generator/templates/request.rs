//! Building request URLs and reading responses, shared by every operation.

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

/// Reads the whole response: status, headers and body.
pub(crate) async fn read_response(response: reqwest::Response) -> Result<RawResponse, reqwest::Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    Ok(RawResponse::new(status, headers, body))
}
