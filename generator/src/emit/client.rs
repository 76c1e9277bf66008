//! `src/client.rs`: the `Client`, its builder, the default base URL and authentication.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, spec_text};
use crate::ir::{Api, AuthScheme};

/// The `client` module.
pub fn client_rs(api: &Api) -> TokenStream {
    let bearer = api
        .auth
        .iter()
        .map(|scheme| match scheme {
            AuthScheme::Bearer {
                name,
                format,
                description,
            } => (name, format, description),
        })
        .next();
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
    let (token_field, token_init, token_setter, token_debug, token_apply) = match bearer {
        Some((scheme_name, format, description)) => {
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
            ]);
            (
                quote!(bearer_token: Option<secrecy::SecretString>,),
                quote!(bearer_token: self.bearer_token,),
                quote! {
                    #docs
                    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
                        self.bearer_token = Some(secrecy::SecretString::from(token.into()));
                        self
                    }
                },
                quote!(.field("bearer_token", &self.bearer_token.as_ref().map(|_| "[redacted]"))),
                quote! {
                    let request = self.http.request(method, url);
                    match &self.bearer_token {
                        Some(token) => request.bearer_auth(secrecy::ExposeSecret::expose_secret(token)),
                        None => request,
                    }
                },
            )
        }
        None => (
            quote!(),
            quote!(),
            quote!(),
            quote!(),
            quote!(self.http.request(method, url)),
        ),
    };
    quote! {
        //! The client and its builder.

        use std::fmt;

        use crate::error::{BuildError, InvalidRequest, RawResponse};
        use crate::request::{self, PathSegment};

        #default_const

        #client_docs
        #[derive(Clone)]
        pub struct Client {
            http: reqwest::Client,
            base_url: reqwest::Url,
            #token_field
        }

        impl fmt::Debug for Client {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url.as_str())
                    #token_debug
                    .finish_non_exhaustive()
            }
        }

        impl Client {
            /// Starts building a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The base URL operation paths are appended to.
            pub fn base_url(&self) -> &reqwest::Url {
                &self.base_url
            }

            /// The URL of an operation: the base URL plus percent-encoded path segments.
            pub(crate) fn endpoint(&self, segments: &[PathSegment<'_>]) -> Result<reqwest::Url, InvalidRequest> {
                request::endpoint(&self.base_url, segments)
            }

            /// A request with authentication applied.
            pub(crate) fn request(&self, method: reqwest::Method, url: reqwest::Url) -> reqwest::RequestBuilder {
                #token_apply
            }

            /// Sends `request` and reads the whole response.
            pub(crate) async fn execute(&self, request: reqwest::RequestBuilder) -> Result<RawResponse, reqwest::Error> {
                let response = request.send().await?;
                request::read_response(response).await
            }
        }

        /// Builds a [`Client`].
        #[derive(Default)]
        pub struct ClientBuilder {
            base_url: Option<String>,
            http: Option<reqwest::Client>,
            #token_field
        }

        impl fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("ClientBuilder")
                    .field("base_url", &self.base_url)
                    #token_debug
                    .finish_non_exhaustive()
            }
        }

        impl ClientBuilder {
            #base_url_docs
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.base_url = Some(url.into());
                self
            }

            /// Uses `client` for HTTP instead of a default one (for your own timeouts,
            /// proxies, TLS roots or middleware-free connection pool).
            pub fn http_client(mut self, client: reqwest::Client) -> Self {
                self.http = Some(client);
                self
            }

            #token_setter

            /// Builds the client.
            ///
            /// # Errors
            /// [`BuildError::InvalidBaseUrl`] when the base URL is not an absolute `http(s)` URL,
            /// [`BuildError::Http`] when the default HTTP client cannot be created.
            pub fn build(self) -> Result<Client, BuildError> {
                let base_url = request::parse_base_url(#default_expr)?;
                let http = match self.http {
                    Some(http) => http,
                    None => reqwest::Client::builder()
                        .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                        .build()
                        .map_err(BuildError::Http)?,
                };
                Ok(Client {
                    http,
                    base_url,
                    #token_init
                })
            }
        }
    }
}
