//! The crate docs' guide: one section with a compiling example per capability of the
//! generated client (retries and timeouts, hooks, request ids, validation, pagination,
//! waiters), written against this crate's own operations where an example needs one.

use crate::ir::{Api, AuthScheme, ClientBehaviour, Operation, ParameterLocation, TypeRef};

/// The guide's sections, as doc paragraphs (Markdown).
pub fn sections(api: &Api, behaviour: &ClientBehaviour, crate_ident: &str) -> Vec<String> {
    let client = client_setup(api, crate_ident);
    let mut sections = Vec::new();
    let first_call = api.operations.iter().find_map(call);
    sections.push(format!(
        "## Retries and timeouts\n\n\
         Transport failures and the statuses 408, 429, 502, 503 and 504 are retried with \
         exponential backoff and jitter, honouring `Retry-After` (seconds or HTTP date) up to \
         a cap. Only idempotent operations are retried (GET, HEAD, PUT, DELETE, and those the \
         generator's settings mark idempotent) unless the policy opts in. A retry sends the \
         same request again, made anew from the call's values (a multipart body too). Each \
         attempt has a whole-request timeout (60 s unless set); running out of it is \
         [`Error::Timeout`].\n\n\
         ```no_run\n\
         # async fn run() -> Result<(), Box<dyn std::error::Error>> {{\n\
         use std::time::Duration;\n\
         use {crate_ident}::RetryPolicy;\n\n\
         let client = {crate_ident}::Client::builder()\n    \
             .retry_policy(\n        \
                 RetryPolicy::default()\n            \
                     .with_max_attempts(5)\n            \
                     .with_initial_backoff(Duration::from_millis(200))\n            \
                     .with_max_backoff(Duration::from_secs(5))\n            \
                     .with_max_retry_after(Duration::from_secs(30)),\n    \
             )\n    \
             .timeout(Duration::from_secs(20))\n    \
             .connect_timeout(Duration::from_secs(3))\n    \
             .build()?;\n\
         {per_call}\
         # Ok(())\n\
         # }}\n\
         ```",
        per_call = first_call
            .as_ref()
            .map(|call| format!(
                "// One call without retries and with a shorter timeout:\n\
                 let result = client.{call}\n    \
                     .retry_policy(RetryPolicy::never())\n    \
                     .timeout(Duration::from_secs(2))\n    \
                     .await;\n\
                 if let Err(error) = &result {{\n    \
                     if error.is_timeout() {{\n        \
                         eprintln!(\"gave up after 2 s\");\n    \
                     }}\n\
                 }}\n"
            ))
            .unwrap_or_default(),
    ));
    sections.push(format!(
        "## Hooks and identity\n\n\
         Bring your own `reqwest::Client`, add headers to every request, and see every \
         attempt with an [`Observer`] (credentials are removed before it sees anything). \
         Requests carry `User-Agent: {{crate name}}/{{version}}` ([`USER_AGENT`]).\n\n\
         ```no_run\n\
         # fn run() -> Result<(), Box<dyn std::error::Error>> {{\n\
         use {crate_ident}::{{ObservedRequest, ObservedResponse, Observer}};\n\
         use reqwest::header::{{HeaderName, HeaderValue}};\n\n\
         struct Log;\n\n\
         impl Observer for Log {{\n    \
             fn on_response(&self, request: &ObservedRequest, response: &ObservedResponse) {{\n        \
                 println!(\n            \
                     \"{{}} {{}} (attempt {{}}) -> {{}} in {{:?}}, request id {{:?}}\",\n            \
                     request.method, request.url, request.attempt,\n            \
                     response.status, response.elapsed, response.request_id(),\n        \
                 );\n    \
             }}\n\
         }}\n\n\
         let client = {crate_ident}::Client::builder()\n    \
             .http_client(\n        \
                 reqwest::Client::builder()\n            \
                     .redirect(reqwest::redirect::Policy::none())\n            \
                     .build()?,\n    \
             )\n    \
             .default_header(HeaderName::from_static(\"x-team\"), HeaderValue::from_static(\"agents\"), false)\n    \
             .observer(Log)\n    \
             .build()?;\n\
         # let _ = client;\n\
         # Ok(())\n\
         # }}\n\
         ```"
    ));
    let has_bearer = api
        .auth
        .iter()
        .any(|scheme| matches!(scheme, crate::ir::AuthScheme::Bearer { .. }));
    let security_example = if has_bearer {
        format!(
            "// A token no header can hold is refused at build(), and never shown.\n\
             let error = {crate_ident}::Client::builder()\n    \
                 .bearer_token(\"s3cret\\r\\nX-Injected: 1\")\n    \
                 .build()\n    \
                 .unwrap_err();\n\
             assert!(error.to_string().contains(\"bearer token\"));\n\
             assert!(!format!(\"{{error}} {{error:?}}\").contains(\"s3cret\"));\n"
        )
    } else {
        format!(
            "// A larger size limit, e.g. for an API that returns big documents.\n\
             let builder = {crate_ident}::Client::builder().max_response_bytes(64 * 1024 * 1024);\n\
             # let _ = builder;\n"
        )
    };
    sections.push(format!(
        "## Security\n\n\
         - **Redaction.** The client knows its own secrets: the credentials set on the \
         builder, default headers marked sensitive, and a password in the base URL. None \
         of them appears in any `Display` or `Debug` output or reaches an [`Observer`], \
         wherever it comes from: a server that quotes the `Authorization` header in an \
         error body, or echoes a key in a header of any name, is shown `[redacted]` \
         (as sent, JSON-escaped or percent-encoded). Documented error bodies are decoded \
         with the secrets already replaced; only [`RawResponse::body`] keeps the bytes as \
         received. (A secret shorter than 4 bytes is not searched for in free text: it \
         would match by chance everywhere.)\n\
         - **Redirects** are followed only within the origin (scheme, host and port) of \
         the request, at most 10. A redirect to another origin is not followed: the call \
         returns [`Error::UnexpectedStatus`] with its `Location`, so no credential leaves \
         the origin it was given for. With your own `http_client`, its redirect policy \
         applies: build it with `reqwest::redirect::Policy::none()` as above.\n\
         - **Size limit.** A response body is read up to 16 MiB; past that the read stops \
         and the call fails with [`Error::ResponseTooLarge`]. Change it per client with \
         `ClientBuilder::max_response_bytes` and per call with each request builder's \
         `max_response_bytes`. `Display` and `Debug` of an error show at most 4 KiB.\n\
         - **Values stay where they belong.** Every byte of a path parameter but the \
         unreserved ones (`A-Z a-z 0-9 - . _ ~`) is percent-encoded, control characters \
         included; a value that would still be empty, `.` or `..` as sent is refused with \
         [`Error::InvalidRequest`] before anything is sent. Query and cookie values are \
         percent-encoded; a header value with a line break is refused.\n\
         - **Credentials are checked at `build()`.** One that cannot be sent as the spec \
         says (a line break, NUL or non-ASCII byte in a header credential, an empty \
         token) fails with [`BuildError::InvalidCredential`], naming the credential, \
         never showing it.\n\
         - **An undocumented 2xx** is a success when its body is the documented success \
         body (or success has no body); otherwise [`Error::UndocumentedSuccess`]: the \
         server accepted the request, so it is not a failure to retry.\n\n\
         ```\n\
         {security_example}\
         ```"
    ));
    if let Some(call) = &first_call {
        sections.push(format!(
            "## Request ids\n\n\
             The server's request id{header} is reachable on success through \
             `send_with_response` and on failure through [`Error::request_id`].\n\n\
             ```no_run\n\
             {client}\
             match client.{call}.send_with_response().await {{\n    \
                 Ok(response) => {{\n        \
                     println!(\"request id {{:?}}, status {{}}\", response.request_id(), response.status());\n        \
                     let value = response.into_inner();\n        \
                     println!(\"{{value:?}}\");\n    \
                 }}\n    \
                 Err(error) => eprintln!(\"request {{:?}} failed: {{error}}\", error.request_id()),\n\
             }}\n\
             # Ok(())\n\
             # }}\n\
             ```",
            header = behaviour
                .request_id_header
                .as_ref()
                .map(|name| format!(" (header `{name}`)"))
                .unwrap_or_default(),
        ));
    }
    sections.push(format!(
        "## Validation before sending\n\n\
         Request values are checked against the spec's `pattern` (ECMA-262, with `regress`), \
         `minLength`/`maxLength`, `minimum`/`maximum`, `multipleOf`, `minItems`/`maxItems` and \
         `enum` before anything is sent; a failure is [`Error::Validation`] naming the field, \
         the [`Rule`] and the value. Values can also be checked by hand with [`Validate`]; \
         [`ClientBuilder::validate_requests`] turns the checks off.\n\n\
         ```no_run\n\
         # async fn run() -> Result<(), Box<dyn std::error::Error>> {{\n\
         use {crate_ident}::{{Error, ValidationError}};\n\n\
         fn explain<E>(error: &Error<E>) {{\n    \
             if let Error::Validation(ValidationError {{ field, rule, value, .. }}) = error {{\n        \
                 eprintln!(\"not sent: {{field}} = {{value}} breaks {{rule}}\");\n    \
             }}\n\
         }}\n\
         let unchecked = {crate_ident}::Client::builder().validate_requests(false).build()?;\n\
         # let _ = (unchecked, explain::<()>);\n\
         # Ok(())\n\
         # }}\n\
         ```"
    ));
    if let Some((operation, call)) = api
        .operations
        .iter()
        .filter(|operation| behaviour.paginations.contains_key(&operation.operation_id))
        .find_map(|operation| Some((operation, call(operation)?)))
    {
        let limit = behaviour.paginations[&operation.operation_id]
            .limit_parameter
            .as_ref()
            .map(|limit| format!(".{limit}(50)"))
            .unwrap_or_default();
        sections.push(format!(
            "## Pagination\n\n\
             List operations that page (`{id}` here) have `into_stream()`: every item of every \
             page, fetched page after page as the stream is read.\n\n\
             ```no_run\n\
             {client}\
             use futures_util::TryStreamExt as _;\n\n\
             let mut items = std::pin::pin!(client.{call}{limit}.into_stream());\n\
             while let Some(item) = items.try_next().await? {{\n    \
                 println!(\"{{item:?}}\");\n\
             }}\n\
             # Ok(())\n\
             # }}\n\
             ```",
            id = operation.operation_id,
        ));
    }
    if let Some((waiter, call)) = behaviour.waiters.iter().find_map(|waiter| {
        let operation = api
            .operations
            .iter()
            .find(|operation| operation.operation_id == waiter.operation_id)?;
        Some((waiter, call(operation)?))
    }) {
        sections.push(format!(
            "## Waiters\n\n\
             Declared in the generator's settings, each waiter is a `wait_until_*` method on a \
             request builder that polls it with backoff until the target state, failing fast \
             on a state the target cannot follow and giving up after `max_wait` with the last \
             resource read.\n\n\
             ```no_run\n\
             {client}\
             use std::time::Duration;\n\
             use {crate_ident}::WaitError;\n\n\
             match client.{call}.{method}().max_wait(Duration::from_secs(120)).await {{\n    \
                 Ok(done) => println!(\"done: {{done:?}}\"),\n    \
                 Err(WaitError::TimedOut {{ last, .. }}) => eprintln!(\"still not there: {{last:?}}\"),\n    \
                 Err(other) => return Err(other.into()),\n\
             }}\n\
             # Ok(())\n\
             # }}\n\
             ```",
            method = waiter.method_name,
        ));
    }
    sections.extend(mock_section(api, crate_ident));
    sections
}

/// "Testing your application: the mock kit", with an example answering one call with a
/// typed value; none for a crate without an operation the example can call.
fn mock_section(api: &Api, crate_ident: &str) -> Option<String> {
    use crate::ir::Success;
    let (operation, call) = api.operations.iter().find_map(|operation| {
        (operation.success != Success::Headers).then_some(())?;
        Some((operation, call(operation)?))
    })?;
    // The value the test answers with: built by the test, here an argument of the
    // hidden function around the example.
    let (value_type, value) = match &operation.success {
        Success::Body(body) => (
            Some(
                super::rust_type::type_tokens(&body.ty, false)
                    .to_string()
                    .replace(' ', "")
                    .replace("crate::", &format!("{crate_ident}::")),
            ),
            "expected",
        ),
        Success::Outcomes { type_name } => (
            Some(format!("{crate_ident}::operations::{type_name}")),
            "expected",
        ),
        _ => (None, ""),
    };
    let (parameter, responds, check) = match &value_type {
        Some(ty) => (
            format!("{value}: {ty}"),
            format!(".responds({value}.clone())"),
            format!("assert_eq!(result, {value});\n"),
        ),
        None => (String::new(), ".responds()".to_string(), String::new()),
    };
    // A matcher for the first path (or query) parameter the call names.
    let matcher = operation
        .parameters
        .iter()
        .find(|parameter| parameter.required && parameter.location != ParameterLocation::Header)
        .and_then(|parameter| {
            let literal = match parameter.ty {
                TypeRef::String => {
                    format!("{:?}", format!("my-{}", parameter.name.replace('_', "-")))
                }
                TypeRef::Uuid => "uuid::Uuid::nil()".to_string(),
                TypeRef::Integer(_) => "1".to_string(),
                _ => return None,
            };
            Some(format!("\n    .{}({literal})", parameter.rust_name))
        })
        .unwrap_or_default();
    let token = match api.auth.first() {
        Some(AuthScheme::Bearer { .. }) => "\n    .bearer_token(\"test-token\")".to_string(),
        Some(AuthScheme::Basic { .. }) => "\n    .basic_auth(\"user\", \"password\")".to_string(),
        Some(AuthScheme::ApiKey { setter, .. }) => format!("\n    .{setter}(\"test-key\")"),
        None => String::new(),
    };
    Some(format!(
        "## Testing your application: the mock kit\n\n\
         With the `mock` feature on (in your `[dev-dependencies]`), `MockServer` stands in \
         for the API in your tests: it has one method per operation starting an expectation, \
         with a typed matcher per path, query and header parameter and for the body (what is \
         not set matches anything), answered with a typed success value (`responds`), one of \
         the operation's documented errors (`responds_error`, which the client returns as \
         [`Error::Api`]), a bare status (`responds_status(503)`) or any body (`responds_raw`); `.times(n)` asks for \
         exactly `n` calls, and by default an expectation wants at least one. A request no \
         expectation matches is answered `404`, and when the server is dropped the test fails \
         naming each such request, the closest expectation and what differed (`unmatched \
         request GET /...: closest expectation {id} differs in path parameter ...: expected \
         \"a\", got \"b\"`), and each expectation called a different number of times.\n\n\
         Expectations are tried in the order they were set: the first that matches a \
         request answers it, so set a specific one before a general one.\n\n\
         ```no_run\n\
         # #[cfg(feature = \"mock\")]\n\
         async fn run({parameter}) -> Result<(), Box<dyn std::error::Error>> {{\n\
         {comment}\
         let mock = {crate_ident}::MockServer::start().await;\n\
         mock.{method}(){matcher}\n    {responds};\n\
         let client = {crate_ident}::Client::builder()\n    \
             .base_url(mock.base_url()){token}\n    \
             .build()?;\n\
         let result = client.{call}.await?;\n\
         {check}\
         Ok(())\n\
         }}\n\
         ```",
        id = operation.operation_id,
        method = operation.method_name,
        comment = value_type
            .as_ref()
            .map(|ty| format!("// `{value}`: the `{ty}` your test wants the call to return.\n"))
            .unwrap_or_default(),
    ))
}

/// The start of an example: an async fn and a client.
fn client_setup(api: &Api, crate_ident: &str) -> String {
    // The spec's first scheme, with the setter that scheme really has.
    let token = api
        .auth
        .first()
        .map(AuthScheme::example_call)
        .unwrap_or_default();
    format!(
        "# async fn run() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = {crate_ident}::Client::builder(){token}.build()?;\n"
    )
}

/// `method(arguments)` for an operation whose required arguments can be written as
/// literals (strings, integers, UUIDs) and that needs no body.
fn call(operation: &Operation) -> Option<String> {
    if operation.body.as_ref().is_some_and(|body| body.required) {
        return None;
    }
    let arguments = operation
        .parameters
        .iter()
        .filter(|parameter| parameter.required)
        .map(|parameter| match (&parameter.ty, parameter.location) {
            (_, ParameterLocation::Header | ParameterLocation::Cookie) => None,
            (TypeRef::String, _) => Some(format!(
                "{:?}",
                format!("my-{}", parameter.name.replace('_', "-"))
            )),
            (TypeRef::Uuid, _) => Some("uuid::Uuid::nil()".to_string()),
            (TypeRef::Integer(_), _) => Some("1".to_string()),
            _ => None,
        })
        .collect::<Option<Vec<String>>>()?;
    Some(format!(
        "{}({})",
        operation.method_name,
        arguments.join(", ")
    ))
}
