//! The default base URL, from `servers[0]`.

use super::Normaliser;

impl Normaliser<'_> {
    /// `servers[0].url` with its `{variables}` replaced by their defaults (OpenAPI
    /// requires a default for each). A URL that is still not absolute (a relative
    /// `/api/v3`, or a variable without a definition) cannot be a default: the client then
    /// requires a base URL, and a warning says why.
    pub(super) fn default_server(&mut self, servers: &[openapiv3::Server]) -> Option<String> {
        let server = servers.first()?;
        let mut url = server.url.clone();
        if let Some(variables) = &server.variables {
            for (name, variable) in variables {
                url = url.replace(&format!("{{{name}}}"), &variable.default);
            }
        }
        let absolute = (url.starts_with("http://") || url.starts_with("https://"))
            && !url.contains(['{', '}']);
        if absolute {
            Some(url)
        } else {
            self.warn(
                "#/servers/0/url",
                &format!("`{url}` is not an absolute http(s) URL, so there is no default base URL; `ClientBuilder::base_url` is required"),
            );
            None
        }
    }
}
