//! `src/client.rs`: the `Client`, its builder, the default base URL and authentication.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, spec_text};
use super::rust_type::ident;
use crate::ir::{Api, ApiKeyLocation, AuthScheme, ClientBehaviour, Operation};

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
        moves: token_init,
        setters: token_setter,
        debug: token_debug,
        checks: token_checks,
        apply: token_apply,
        secret_query,
    } = credentials;
    let request_id_header = match &behaviour.request_id_header {
        Some(name) => quote!(Some(#name)),
        None => quote!(None),
    };
    // Query parameters that carry an API key: their values are `[redacted]` in the URLs
    // observers and errors show.
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

        use crate::error::{BuildError, Error, InvalidRequest, RawResponse};
        use crate::observe::Observer;
        use crate::request::{self, PathPart};
        use crate::retry::RetryPolicy;
        use crate::transport::{self, Call, Config, RequestOptions};

        #default_const

        /// Sent as `User-Agent` with every request (a default header can replace it).
        pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        #client_docs
        #[derive(Clone)]
        pub struct Client {
            http: reqwest::Client,
            base_url: reqwest::Url,
            #(#token_field)*
            config: Arc<Config>,
        }

        impl fmt::Debug for Client {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &request::without_password(self.base_url.as_str()))
                    #(#token_debug)*
                    .field("config", &self.config)
                    .finish_non_exhaustive()
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
                &self.base_url
            }

            /// The URL of an operation: the base URL plus its path template, parameter
            /// values percent-encoded.
            pub(crate) fn endpoint(&self, parts: &[PathPart<'_>]) -> Result<reqwest::Url, InvalidRequest> {
                request::endpoint(&self.base_url, parts)
            }

            /// A request with the `User-Agent`, the default headers and authentication, in
            /// that order (a later one replaces an earlier header of the same name).
            pub(crate) fn request(&self, method: reqwest::Method, url: reqwest::Url) -> reqwest::RequestBuilder {
                #token_apply
            }

            /// Whether request values are checked against the spec before sending.
            // Unused in a crate whose spec has no constraints on request values.
            #[allow(dead_code)]
            pub(crate) fn validates_requests(&self) -> bool {
                self.config.validate_requests
            }

            /// Sends `request` with retries and timeouts, and reads the whole response (up
            /// to the size limit).
            pub(crate) async fn execute<E>(
                &self,
                request: reqwest::RequestBuilder,
                call: Call,
                options: &RequestOptions,
            ) -> Result<RawResponse, Error<E>> {
                transport::execute(&self.http, &self.config, request, call, options).await
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
                    config: Config { request_id_header: #request_id_header, ..Config::default() },
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
                    http,
                    base_url,
                    #(#token_init)*
                    config: Arc::new(self.config),
                })
            }
        }
    }
}

/// The setters every request builder has to override the client's retry policy and
/// timeout for one call (stored in its `options: RequestOptions` field): `retry_policy`
/// and `timeout`, or `request_retry_policy` and `request_timeout` when a parameter of
/// `operation` already has the short name.
pub fn request_option_setters(operation: &Operation) -> TokenStream {
    let taken = |name: &str| {
        operation
            .parameters
            .iter()
            .any(|parameter| parameter.rust_name == name)
    };
    let name = |short: &str| {
        if taken(short) {
            ident(&format!("request_{short}"))
        } else {
            ident(short)
        }
    };
    let retry_policy = name("retry_policy");
    let timeout = name("timeout");
    let max_response_bytes = name("max_response_bytes");
    quote! {
        /// Retries this call by `policy` instead of the client's
        /// [`retry_policy`](crate::ClientBuilder::retry_policy), e.g.
        /// `RetryPolicy::never()`, or `RetryPolicy::default().retry_non_idempotent(true)`
        /// to retry a create you know is safe to repeat.
        pub fn #retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
            self.options.retry = Some(policy);
            self
        }

        /// Sets the whole-request timeout of each attempt of this call, instead of the
        /// client's [`timeout`](crate::ClientBuilder::timeout).
        pub fn #timeout(mut self, timeout: std::time::Duration) -> Self {
            self.options.timeout = Some(timeout);
            self
        }

        /// Sets the longest response body read for this call, in bytes, instead of the
        /// client's [`max_response_bytes`](crate::ClientBuilder::max_response_bytes).
        pub fn #max_response_bytes(mut self, limit: u64) -> Self {
            self.options.max_response_bytes = Some(limit);
            self
        }
    }
}

/// What the client and its builder hold for the spec's security schemes.
struct Credentials {
    /// Fields of both the client and the builder.
    fields: Vec<TokenStream>,
    /// Their initial (unset) values in the builder.
    none: Vec<TokenStream>,
    /// Builder to client, in `build`.
    moves: Vec<TokenStream>,
    /// The builder's setters.
    setters: Vec<TokenStream>,
    /// `Debug` fields, values redacted.
    debug: Vec<TokenStream>,
    /// In `build`: each credential checked and added to `secrets`.
    checks: Vec<TokenStream>,
    /// The body of `Client::request`.
    apply: TokenStream,
    /// Query parameter names that carry keys.
    secret_query: Vec<String>,
}

/// Setters and request code for bearer tokens (the first bearer scheme), HTTP basic
/// (the first basic scheme; a second one would be the same header) and each API key.
fn credentials(schemes: &[AuthScheme]) -> Credentials {
    let mut out = Credentials {
        fields: Vec::new(),
        none: Vec::new(),
        moves: Vec::new(),
        setters: Vec::new(),
        debug: Vec::new(),
        checks: Vec::new(),
        apply: TokenStream::new(),
        secret_query: Vec::new(),
    };
    let mut apply = Vec::new();
    let secret_note =
        "The value is kept in a `secrecy::SecretString`: it never appears in `Debug` \
                       output, and observers and error messages never see it.";
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
        out.moves.push(quote!(#field: self.#field,));
        out.debug
            .push(quote!(.field(#label, &self.#field.as_ref().map(|_| "[redacted]"))));
    };
    // Whether any credential is a header (then collected in `credentials`).
    let mut headers = bearer.is_some() || basic.is_some();
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
                request::check_header_credential(#label, token)?;
                secrets.add(token);
            }
        });
        apply.push(quote! {
            if let Some(token) = &self.bearer_token {
                let value = format!("Bearer {}", secrecy::ExposeSecret::expose_secret(token));
                request = request::credential_header(request, &mut credentials, reqwest::header::AUTHORIZATION, &value);
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
                secrets.add(password);
                secrets.add(&request::basic_credentials(username, password)["Basic ".len()..]);
            }
        });
        apply.push(quote! {
            if let Some((username, password)) = &self.basic_auth {
                let value = request::basic_credentials(
                    secrecy::ExposeSecret::expose_secret(username),
                    secrecy::ExposeSecret::expose_secret(password),
                );
                request = request::credential_header(request, &mut credentials, reqwest::header::AUTHORIZATION, &value);
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
        let check = match location {
            ApiKeyLocation::Header => quote!(check_header_credential),
            ApiKeyLocation::Query => quote!(check_text_credential),
            ApiKeyLocation::Cookie => quote!(check_cookie_credential),
        };
        out.checks.push(quote! {
            if let Some(key) = &self.#field {
                let key = secrecy::ExposeSecret::expose_secret(key);
                request::#check(#label, key)?;
                secrets.add(key);
            }
        });
        let (where_text, send) = match location {
            ApiKeyLocation::Header => {
                headers = true;
                let lower = parameter.to_ascii_lowercase();
                (
                    format!("the `{parameter}` header, marked sensitive"),
                    quote! {
                        request = request::credential_header(
                            request,
                            &mut credentials,
                            reqwest::header::HeaderName::from_static(#lower),
                            secrecy::ExposeSecret::expose_secret(key),
                        );
                    },
                )
            }
            ApiKeyLocation::Query => {
                out.secret_query.push(parameter.clone());
                (
                    format!("the `{parameter}` query parameter"),
                    quote! {
                        request = request.query(&[(#parameter, secrecy::ExposeSecret::expose_secret(key))]);
                    },
                )
            }
            ApiKeyLocation::Cookie => (
                format!("the `{parameter}` cookie, in a `Cookie` header marked sensitive"),
                quote! {
                    request = request::credential_cookie(request, #parameter, secrecy::ExposeSecret::expose_secret(key));
                },
            ),
        };
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
        apply.push(quote! {
            if let Some(key) = &self.#field {
                #send
            }
        });
    }
    let base_request = quote! {
        self.http
            .request(method, url)
            .header(reqwest::header::USER_AGENT, USER_AGENT)
            .headers(self.config.default_headers.clone())
    };
    out.apply = if apply.is_empty() {
        base_request
    } else if !headers {
        quote! {
            let mut request = #base_request;
            #(#apply)*
            request
        }
    } else {
        quote! {
            let mut request = #base_request;
            // Credential headers replace default headers of the same name.
            let mut credentials = reqwest::header::HeaderMap::new();
            #(#apply)*
            request.headers(credentials)
        }
    };
    out
}
