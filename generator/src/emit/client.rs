//! `src/client.rs`: the `Client`, its builder, the default base URL and authentication.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, spec_text};
use super::rust_type::ident;
use crate::ir::{Api, ApiKeyLocation, AuthScheme, ClientBehaviour};

/// The `client` module.
pub fn client_rs(api: &Api, behaviour: &ClientBehaviour) -> TokenStream {
    let client_docs = doc_attrs(&[
        format!(
            "Client for the {}, version {}.",
            spec_text(&api.title),
            code(&api.version)
        ),
        "Build one with [`Client::builder`]. It is cheap to clone: clones share one \
         connection pool. Each operation is a method returning a request builder; await \
         the builder to send the request."
            .to_string(),
    ]);
    let (default_const, default_expr, builder_default_docs) = match &api.default_server {
        Some(url) => {
            let docs = doc_attrs(&[format!("The spec's first server, `{url}`.")]);
            (
                quote! {
                    #docs
                    pub const DEFAULT_BASE_URL: &str = #url;
                },
                quote!(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL)),
                format!("Defaults to [`DEFAULT_BASE_URL`], the spec's first server (`{url}`)."),
            )
        }
        None => (
            quote!(),
            quote!(self.base_url.as_deref().ok_or(BuildError::InvalidBaseUrl {
                url: String::new(),
                reason: "the spec lists no servers, so a base URL must be set".to_string(),
            })?),
            "Required: the spec lists no servers.".to_string(),
        ),
    };
    let base_url_docs = doc_attrs(&[
        "Sets the base URL that operation paths are appended to, e.g. `https://host/prefix`."
            .to_string(),
        builder_default_docs,
    ]);
    let credentials = credentials(&api.auth);
    let Credentials {
        fields: token_field,
        none: token_none,
        setters: token_setter,
        debug: token_debug,
        checks: token_checks,
        mut secret_query,
    } = credentials;
    // `format: password` query parameters are secrets too: a URL in an error or an
    // observer's event must not show them.
    for parameter in api
        .operations
        .iter()
        .flat_map(|operation| &operation.parameters)
    {
        if parameter.secret
            && parameter.location == crate::ir::ParameterLocation::Query
            && !secret_query.contains(&parameter.name)
        {
            secret_query.push(parameter.name.clone());
        }
    }
    let request_id_header = match &behaviour.request_id_header {
        Some(name) => quote!(Some(#name)),
        None => quote!(None),
    };
    // Query parameters that carry an API key or a password: their values are
    // `[redacted]` in the URLs observers and errors show.
    let credentials_mut = (!token_checks.is_empty()).then(|| quote!(mut));
    let new_secrets = if secret_query.is_empty() {
        quote!(crate::redact::Secrets::default())
    } else {
        quote!(crate::redact::Secrets::with_query_parameters(&[#(#secret_query),*]))
    };
    quote! {
        //! The client and its builder.

        use std::fmt;

        use std::sync::Arc;
        use std::time::Duration;

        use reqwest::header::{HeaderName, HeaderValue};

        use crate::call::Core;
        use crate::error::BuildError;
        use crate::observe::Observer;
        use crate::request;
        use crate::retry::RetryPolicy;
        use crate::transport::{self, Config};

        #default_const

        /// Sent as `User-Agent` with every request (a default header can replace it).
        pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        #client_docs
        #[derive(Clone)]
        pub struct Client {
            pub(crate) core: Core,
        }

        impl fmt::Debug for Client {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut debug = f.debug_struct("Client");
                self.core.debug_fields(&mut debug);
                debug.finish_non_exhaustive()
            }
        }

        impl Client {
            /// Starts building a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The base URL operation paths are appended to (a password in it is sent as
            /// basic credentials, and shown as `[redacted]` by `Debug`).
            pub fn base_url(&self) -> &reqwest::Url {
                &self.core.base_url
            }
        }

        /// Builds a [`Client`].
        pub struct ClientBuilder {
            base_url: Option<String>,
            http: Option<reqwest::Client>,
            #(#token_field)*
            connect_timeout: Duration,
            config: Config,
        }

        impl Default for ClientBuilder {
            fn default() -> Self {
                Self {
                    base_url: None,
                    http: None,
                    #(#token_none)*
                    connect_timeout: transport::DEFAULT_CONNECT_TIMEOUT,
                    config: Config {
                        request_id_header: #request_id_header,
                        user_agent: USER_AGENT,
                        ..Config::default()
                    },
                }
            }
        }

        impl fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("ClientBuilder")
                    .field("base_url", &self.base_url.as_deref().map(request::without_password))
                    #(#token_debug)*
                    .field("connect_timeout", &self.connect_timeout)
                    .field("config", &self.config)
                    .finish_non_exhaustive()
            }
        }

        impl ClientBuilder {
            #base_url_docs
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.base_url = Some(url.into());
                self
            }

            /// Uses `client` for HTTP instead of one the builder makes (for your own
            /// proxies, TLS roots or connection pool). The `User-Agent`, default headers,
            /// retries, whole-request timeout and size limit still apply; the connect
            /// timeout and the redirect policy are then `client`'s own: build it with
            /// `redirect(reqwest::redirect::Policy::none())` (or a policy that stays on
            /// one origin) so that credentials are never sent to another host.
            pub fn http_client(mut self, client: reqwest::Client) -> Self {
                self.http = Some(client);
                self
            }

            /// Adds a header to every request, e.g. a tenant or tracing header. Replaces
            /// the `User-Agent` when `name` is `user-agent`; authentication is set after
            /// it and wins. The value is marked sensitive when `sensitive` is true, which
            /// also hides it from observers.
            pub fn default_header(mut self, name: HeaderName, mut value: HeaderValue, sensitive: bool) -> Self {
                value.set_sensitive(sensitive);
                self.config.default_headers.insert(name, value);
                self
            }

            /// Sets how failed requests are retried (default: [`RetryPolicy::default`]).
            /// Each request builder's `retry_policy` overrides it for one call.
            pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
                self.config.retry = policy;
                self
            }

            /// Sets the whole-request timeout of each attempt: connecting, sending and
            /// reading the whole response (default 60 s). Each request builder's
            /// `timeout` overrides it for one call. On expiry a call fails with
            /// [`Error::Timeout`](crate::Error::Timeout).
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.config.timeout = timeout;
                self
            }

            /// Sets the connect timeout (default 10 s) of the HTTP client the builder
            /// makes; not used with [`http_client`](Self::http_client).
            pub fn connect_timeout(mut self, timeout: Duration) -> Self {
                self.connect_timeout = timeout;
                self
            }

            /// Calls `observer` for every attempt of every request, with credentials
            /// removed (see [`Observer`]).
            pub fn observer(mut self, observer: impl Observer) -> Self {
                self.config.observer = Some(Arc::new(observer));
                self
            }

            /// Whether request values are checked against the spec's constraints before
            /// anything is sent (default `true`). Turn it off to let the server judge,
            /// e.g. when it accepts more than the spec says.
            pub fn validate_requests(mut self, validate: bool) -> Self {
                self.config.validate_requests = validate;
                self
            }

            /// Sets the longest response body read, in bytes (default 16 MiB). A longer
            /// body stops the read at the limit and fails the call with
            /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge). Each request
            /// builder's `max_response_bytes` overrides it for one call.
            pub fn max_response_bytes(mut self, limit: u64) -> Self {
                self.config.max_response_bytes = limit;
                self
            }

            #(#token_setter)*

            /// Builds the client. Redirects are followed only within the base URL's
            /// origin (scheme, host and port): a redirect to another host is returned as
            /// its 3xx response, so no credential ever leaves the origin it was given for.
            ///
            /// # Errors
            /// [`BuildError::InvalidBaseUrl`] when the base URL is not an absolute `http(s)` URL,
            /// [`BuildError::InvalidCredential`] when a credential cannot be sent (naming
            /// which, never showing it), [`BuildError::Http`] when the default HTTP client
            /// cannot be created.
            pub fn build(mut self) -> Result<Client, BuildError> {
                let base_url = request::parse_base_url(#default_expr)?;
                let mut secrets = #new_secrets;
                secrets.add_common(&base_url, &self.config.default_headers);
                let #credentials_mut credentials = Vec::new();
                #(#token_checks)*
                self.config.secrets = Arc::new(secrets);
                let http = match self.http {
                    Some(http) => http,
                    None => reqwest::Client::builder()
                        .connect_timeout(self.connect_timeout)
                        .redirect(request::redirect_policy())
                        .build()
                        .map_err(BuildError::Http)?,
                };
                Ok(Client {
                    core: Core::new(http, base_url, credentials, self.config)?,
                })
            }
        }
    }
}

/// What the builder holds for the spec's security schemes.
struct Credentials {
    /// The builder's fields.
    fields: Vec<TokenStream>,
    /// Their initial (unset) values.
    none: Vec<TokenStream>,
    /// The builder's setters.
    setters: Vec<TokenStream>,
    /// `Debug` fields, values redacted.
    debug: Vec<TokenStream>,
    /// In `build`: each credential checked, added to `secrets` and to `credentials`.
    checks: Vec<TokenStream>,
    /// Query parameter names that carry keys.
    secret_query: Vec<String>,
}

/// Setters and `build` code for bearer tokens (the first bearer scheme), HTTP basic
/// (the first basic scheme; a second one would be the same header) and each API key.
/// Sending them is the runtime's (`call::Credential`).
fn credentials(schemes: &[AuthScheme]) -> Credentials {
    let mut out = Credentials {
        fields: Vec::new(),
        none: Vec::new(),
        setters: Vec::new(),
        debug: Vec::new(),
        checks: Vec::new(),
        secret_query: Vec::new(),
    };
    let secret_note = "The value is kept in a `secrecy::SecretString`: it never appears in \
                       `Debug` output, and observers and error messages never see it.";
    let bearer = schemes.iter().find_map(|scheme| match scheme {
        AuthScheme::Bearer {
            name,
            format,
            description,
        } => Some((name, format, description)),
        _ => None,
    });
    let basic = schemes.iter().find_map(|scheme| match scheme {
        AuthScheme::Basic { name, description } => Some((name, description)),
        _ => None,
    });
    // Both set `Authorization`: the one set last is sent.
    let (clear_basic, clear_bearer, both_note) = if bearer.is_some() && basic.is_some() {
        (
            quote!(self.basic_auth = None;),
            quote!(self.bearer_token = None;),
            "Replaces a token or credentials set before: both are sent as `Authorization`.",
        )
    } else {
        (quote!(), quote!(), "")
    };
    let push_field = |out: &mut Credentials, field: &proc_macro2::Ident, ty: TokenStream| {
        let label = field.to_string();
        out.fields.push(quote!(#field: Option<#ty>,));
        out.none.push(quote!(#field: None,));
        out.debug
            .push(quote!(.field(#label, &self.#field.as_ref().map(|_| "[redacted]"))));
    };
    if let Some((scheme_name, format, description)) = bearer {
        let docs = doc_attrs(&[
            format!(
                "Sets the bearer token sent as `Authorization: Bearer <token>` (security scheme {}{}).",
                code(scheme_name),
                format.as_ref().map(|format| format!(", format {format}")).unwrap_or_default()
            ),
            spec_text(description.as_deref().unwrap_or("")),
            "The token is kept in a `secrecy::SecretString`: it never appears in `Debug` \
             output, and the header is marked sensitive."
                .to_string(),
            both_note.to_string(),
        ]);
        let field = ident("bearer_token");
        push_field(&mut out, &field, quote!(secrecy::SecretString));
        out.setters.push(quote! {
            #docs
            pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
                self.bearer_token = Some(secrecy::SecretString::from(token.into()));
                #clear_basic
                self
            }
        });
        let label = format!("the bearer token (security scheme `{scheme_name}`)");
        out.checks.push(quote! {
            if let Some(token) = &self.bearer_token {
                let token = secrecy::ExposeSecret::expose_secret(token);
                request::check_bearer_token(#label, token)?;
                secrets.add(token);
                let value = format!("Bearer {token}").into();
                credentials.push(crate::call::Credential::Header(reqwest::header::AUTHORIZATION, value));
            }
        });
    }
    if let Some((scheme_name, description)) = basic {
        let docs = doc_attrs(&[
            format!(
                "Sets the user name and password sent as `Authorization: Basic <base64>` (security scheme {}).",
                code(scheme_name),
            ),
            spec_text(description.as_deref().unwrap_or("")),
            "Both are kept in `secrecy::SecretString`s: they never appear in `Debug` output, \
             and the header is marked sensitive."
                .to_string(),
            both_note.to_string(),
        ]);
        let field = ident("basic_auth");
        push_field(
            &mut out,
            &field,
            quote!((secrecy::SecretString, secrecy::SecretString)),
        );
        out.setters.push(quote! {
            #docs
            pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                self.basic_auth = Some((
                    secrecy::SecretString::from(username.into()),
                    secrecy::SecretString::from(password.into()),
                ));
                #clear_bearer
                self
            }
        });
        let user_label = format!("the basic user name (security scheme `{scheme_name}`)");
        let password_label = format!("the basic password (security scheme `{scheme_name}`)");
        out.checks.push(quote! {
            if let Some((username, password)) = &self.basic_auth {
                let username = secrecy::ExposeSecret::expose_secret(username);
                let password = secrecy::ExposeSecret::expose_secret(password);
                request::check_basic_credentials(#user_label, username, #password_label, password)?;
                let value = request::basic_credentials(username, password);
                secrets.add(password);
                secrets.add(&value["Basic ".len()..]);
                credentials.push(crate::call::Credential::Header(reqwest::header::AUTHORIZATION, value.into()));
            }
        });
    }
    for scheme in schemes {
        let AuthScheme::ApiKey {
            name,
            setter,
            location,
            parameter,
            description,
        } = scheme
        else {
            continue;
        };
        let field = ident(setter);
        let label = format!("the API key (security scheme `{name}`)");
        let (where_text, check, credential) = match location {
            ApiKeyLocation::Header => {
                let lower = parameter.to_ascii_lowercase();
                (
                    format!("the `{parameter}` header, marked sensitive"),
                    quote!(check_header_credential),
                    quote!(crate::call::Credential::Header(reqwest::header::HeaderName::from_static(#lower), key.into())),
                )
            }
            ApiKeyLocation::Query => {
                out.secret_query.push(parameter.clone());
                (
                    format!("the `{parameter}` query parameter"),
                    quote!(check_text_credential),
                    quote!(crate::call::Credential::Query(#parameter, key.into())),
                )
            }
            ApiKeyLocation::Cookie => (
                format!("the `{parameter}` cookie, in a `Cookie` header marked sensitive"),
                quote!(check_cookie_credential),
                quote!(crate::call::Credential::Cookie(#parameter, key.into())),
            ),
        };
        out.checks.push(quote! {
            if let Some(key) = &self.#field {
                let key = secrecy::ExposeSecret::expose_secret(key);
                request::#check(#label, key)?;
                secrets.add(key);
                credentials.push(#credential);
            }
        });
        let docs = doc_attrs(&[
            format!(
                "Sets the API key sent as {where_text} (security scheme {}).",
                code(name)
            ),
            spec_text(description.as_deref().unwrap_or("")),
            secret_note.to_string(),
        ]);
        push_field(&mut out, &field, quote!(secrecy::SecretString));
        out.setters.push(quote! {
            #docs
            pub fn #field(mut self, key: impl Into<String>) -> Self {
                self.#field = Some(secrecy::SecretString::from(key.into()));
                self
            }
        });
    }
    out
}
