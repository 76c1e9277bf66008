//! The command-line tool (the generated crate's `cli` feature): `src/commands.rs`, one
//! clap command per operation, grouped by area (or tag, or resource), with its flags and
//! its call; and `src/main.rs`, the binary. What every tool shares (flag parsing, bodies,
//! output, exit codes, `--wait` progress) is the runtime's `cli.rs` and `cli_wait.rs`.
//!
//! clap's builder, not its derive: the tool is data (names, help texts, types) the
//! generator already has, so it writes the builder calls directly; derive would have the
//! crate run clap's proc macro and compile the impls it expands to (a struct, an enum
//! and their `Args`/`FromArgMatches` impls per operation), more code for the same tree.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToKebabCase, ToShoutySnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::areas::Areas;
use super::rust_type::{ident, type_tokens};
use crate::ir::{
    Api, AuthScheme, BodyEncoding, ClientBehaviour, Direction, Operation, Parameter,
    ParameterLocation, RequestBody, Success, TypeKind, TypeRef, WaiterArgument,
};

/// The binary's name: the crate name without a `-client` suffix (`ai-agent`), else
/// `<crate>-cli`.
pub fn bin_name(crate_name: &str) -> String {
    match crate_name.strip_suffix("-client") {
        Some(stem) if !stem.is_empty() => stem.to_string(),
        _ => format!("{crate_name}-cli"),
    }
}

/// The prefix of the tool's environment variables: `AI_AGENT` for `ai-agent`.
pub fn env_prefix(crate_name: &str) -> String {
    bin_name(crate_name).to_shouty_snake_case()
}

/// Flags every command has, or the root has for all: no operation flag may take them.
const RESERVED: &[&str] = &[
    "help",
    "version",
    "base-url",
    "output",
    "body",
    "all",
    "wait",
    "wait-timeout",
    "token",
    "username",
    "password",
];

/// The command-line flag of a credential, its environment variable suffix and help.
struct Credential {
    flags: Vec<(String, String, String)>,
    setter: TokenStream,
}

fn credentials(api: &Api) -> Vec<Credential> {
    let mut seen = BTreeSet::new();
    let mut credentials = Vec::new();
    for scheme in &api.auth {
        match scheme {
            AuthScheme::Bearer { name, .. } if seen.insert("bearer".to_string()) => {
                credentials.push(Credential {
                    flags: vec![(
                        "token".into(),
                        "TOKEN".into(),
                        format!("Bearer token (security scheme `{name}`)"),
                    )],
                    setter: quote! {
                        if let Some(token) = cli::get::<String>(matches, "token") {
                            builder = builder.bearer_token(token);
                        }
                    },
                });
            }
            AuthScheme::Basic { name, .. } if seen.insert("basic".to_string()) => {
                credentials.push(Credential {
                    flags: vec![
                        ("username".into(), "USERNAME".into(), format!("User name for HTTP basic authentication (security scheme `{name}`)")),
                        ("password".into(), "PASSWORD".into(), format!("Password for HTTP basic authentication (security scheme `{name}`)")),
                    ],
                    setter: quote! {
                        if let (Some(username), Some(password)) = (
                            cli::get::<String>(matches, "username"),
                            cli::get::<String>(matches, "password"),
                        ) {
                            builder = builder.basic_auth(username, password);
                        }
                    },
                });
            }
            AuthScheme::ApiKey { name, setter, .. } => {
                let flag = setter.to_kebab_case();
                if RESERVED.contains(&flag.as_str()) || !seen.insert(flag.clone()) {
                    continue;
                }
                let method = ident(setter);
                credentials.push(Credential {
                    flags: vec![(
                        flag.clone(),
                        setter.to_shouty_snake_case(),
                        format!("API key (security scheme `{name}`)"),
                    )],
                    setter: quote! {
                        if let Some(key) = cli::get::<String>(matches, #flag) {
                            builder = builder.#method(key);
                        }
                    },
                });
            }
            _ => {}
        }
    }
    credentials
}

/// Why the tool has no command for `operation`, or `None` when it has one: its body is
/// multipart or one of several media types with different schemas, or a value is a file
/// part or raw bytes (which no flag spells; a whole binary body is `--body FILE`).
fn unsupported(operation: &Operation) -> Option<&'static str> {
    let body = operation.body.as_ref();
    if body.is_some_and(|body| body.body_enum.is_some()) {
        Some("its body is offered in media types with different schemas")
    } else if body.is_some_and(|body| body.encoding == BodyEncoding::Multipart) {
        Some("its body is multipart")
    } else if body
        .is_some_and(|body| body.encoding != BodyEncoding::Binary && contains_raw(&body.ty))
        || operation.parameters.iter().any(|p| contains_raw(&p.ty))
    {
        Some("a value in it is raw bytes or a file")
    } else {
        None
    }
}

fn contains_raw(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::File | TypeRef::Bytes => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            contains_raw(inner)
        }
        TypeRef::Tuple(items) => items.iter().any(contains_raw),
        _ => false,
    }
}

/// The operations the tool has a command for, each with its group and command name.
pub fn commands(api: &Api) -> Vec<(String, String, &Operation)> {
    let tagged = api
        .operations
        .iter()
        .any(|operation| operation.tag.is_some());
    let mut groups: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    for operation in api
        .operations
        .iter()
        .filter(|operation| unsupported(operation).is_none())
    {
        let raw = match (&operation.area, &operation.tag) {
            (Some(area), _) => area.clone(),
            (None, Some(tag)) => tag.to_kebab_case(),
            (None, None) if tagged => "untagged".to_string(),
            (None, None) => crate::normalise::areas::resource(&operation.path).to_kebab_case(),
        };
        let group = match raw.as_str() {
            "" | "help" => format!("{raw}-operations")
                .trim_start_matches('-')
                .to_string(),
            _ => raw,
        };
        groups.entry(group).or_default().push(operation);
    }
    let mut commands = Vec::new();
    for (group, operations) in groups {
        let wanted_names: Vec<String> = operations
            .iter()
            .map(|operation| short_name(&operation.operation_id, &group))
            .collect();
        let mut taken = BTreeSet::new();
        for (operation, wanted) in operations.iter().zip(&wanted_names) {
            let clash = wanted == "help"
                || wanted.is_empty()
                || wanted_names.iter().filter(|other| *other == wanted).count() > 1;
            let mut name = if clash {
                full_name(&operation.operation_id)
            } else {
                wanted.clone()
            };
            let base = name.clone();
            let mut suffix = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{suffix}");
                suffix += 1;
            }
            commands.push((group.clone(), name, *operation));
        }
    }
    commands
}

fn full_name(operation_id: &str) -> String {
    let name = operation_id.to_kebab_case();
    if name.is_empty() || name == "help" {
        format!("operation-{name}")
            .trim_end_matches('-')
            .to_string()
    } else {
        name
    }
}

/// `listSandboxes` in `sandboxes` -> `list`; `getSandboxMetrics` -> `get-metrics`: the
/// operationId's words without the group's noun (plural or singular).
fn short_name(operation_id: &str, group: &str) -> String {
    let nouns: Vec<String> = group
        .split('-')
        .flat_map(|word| {
            let mut forms = vec![word.to_string()];
            if let Some(stem) = word.strip_suffix("ies") {
                forms.push(format!("{stem}y"));
            }
            if let Some(stem) = word.strip_suffix("es") {
                forms.push(stem.to_string());
            }
            if let Some(stem) = word.strip_suffix('s') {
                forms.push(stem.to_string());
            }
            forms
        })
        .collect();
    operation_id
        .to_kebab_case()
        .split('-')
        .filter(|word| !nouns.iter().any(|noun| noun == word))
        .collect::<Vec<_>>()
        .join("-")
}

/// One flag of an operation's command.
struct Flag {
    /// The flag (`org-id`), also its id.
    long: String,
    /// The value's type (an array's item type when `repeated`).
    ty: TypeRef,
    repeated: bool,
    help: String,
    choices: Vec<String>,
    required: bool,
}

/// `text` on one line, for help.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn parameter_help(parameter: &Parameter) -> String {
    let location = match parameter.location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    };
    let mut help = match &parameter.docs {
        Some(docs) => one_line(docs),
        None => format!("The `{}` {location} parameter.", parameter.name),
    };
    let constraints =
        super::types::constraint_docs(&parameter.constraints, parameter.default.as_ref());
    if !constraints.is_empty() {
        help.push(' ');
        help.push_str(&constraints);
    }
    help
}

/// The values a flag of type `ty` takes, when it is an enum.
fn choices(api: &Api, ty: &TypeRef) -> Vec<String> {
    match api.resolve_alias(ty) {
        TypeRef::Named(name) => match api.type_named(name).map(|definition| &definition.kind) {
            Some(TypeKind::StringEnum(string_enum)) => string_enum
                .variants
                .iter()
                .map(|variant| variant.value.clone())
                .collect(),
            Some(TypeKind::IntegerEnum(integer_enum)) => integer_enum
                .variants
                .iter()
                .map(|(_, value)| value.to_string())
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Whether a body property of type `ty` gets a flag: a scalar or an enum.
fn is_scalar(api: &Api, ty: &TypeRef) -> bool {
    match api.resolve_alias(ty) {
        TypeRef::String
        | TypeRef::Integer(_)
        | TypeRef::Number(_)
        | TypeRef::Boolean
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Uuid
        | TypeRef::Ipv4
        | TypeRef::Ipv6
        | TypeRef::Ip => true,
        TypeRef::Named(_) => !choices(api, ty).is_empty(),
        _ => false,
    }
}

/// A flag name not yet taken: `wanted`, else `<prefix>-<wanted>`, else numbered.
fn unique_flag(taken: &mut BTreeSet<String>, wanted: &str, prefix: &str) -> String {
    let wanted = if wanted.is_empty() {
        "value".to_string()
    } else {
        wanted.to_string()
    };
    let mut name = wanted.clone();
    if taken.contains(&name) {
        name = format!("{prefix}-{wanted}");
    }
    let base = name.clone();
    let mut suffix = 2;
    while taken.contains(&name) {
        name = format!("{base}-{suffix}");
        suffix += 1;
    }
    taken.insert(name.clone());
    name
}

/// The JSON body struct's flags: `(flag, JSON name)` for each scalar, enum or array of
/// them that requests carry.
fn body_flags(api: &Api, body: &RequestBody, taken: &mut BTreeSet<String>) -> Vec<(Flag, String)> {
    if !matches!(
        body.encoding,
        BodyEncoding::Json | BodyEncoding::FormUrlEncoded
    ) {
        return Vec::new();
    }
    let TypeRef::Named(name) = api.resolve_alias(&body.ty) else {
        return Vec::new();
    };
    let Some(TypeKind::Struct(structure)) = api.type_named(name).map(|definition| &definition.kind)
    else {
        return Vec::new();
    };
    let mut flags = Vec::new();
    for field in &structure.fields {
        if field.direction == Direction::ReadOnly || field.boxed {
            continue;
        }
        let (ty, repeated) = match api.resolve_alias(&field.ty) {
            TypeRef::Array(item) if is_scalar(api, item) => ((**item).clone(), true),
            _ if is_scalar(api, &field.ty) => (field.ty.clone(), false),
            _ => continue,
        };
        let long = unique_flag(taken, &field.json_name.to_kebab_case(), "body");
        let mut help = field
            .docs
            .as_deref()
            .map(one_line)
            .unwrap_or_else(|| format!("The body's `{}` property.", field.json_name));
        let constraints = super::types::constraint_docs(&field.constraints, field.default.as_ref());
        if !constraints.is_empty() {
            help.push(' ');
            help.push_str(&constraints);
        }
        if field.required || field.demanded {
            help.push_str(" Required in the body.");
        }
        flags.push((
            Flag {
                long,
                choices: choices(api, &ty),
                ty,
                repeated,
                help,
                required: false,
            },
            field.json_name.clone(),
        ));
    }
    flags
}

fn flag_tokens(flag: &Flag, property: bool) -> TokenStream {
    let long = &flag.long;
    let help = &flag.help;
    let ty = type_tokens(&flag.ty, false);
    let choices = &flag.choices;
    let constructor = if property {
        quote!(property)
    } else {
        quote!(arg)
    };
    let repeated = flag
        .repeated
        .then(|| quote!(.action(clap::ArgAction::Append)));
    let required = flag.required.then(|| quote!(.required(true)));
    quote!(cli::#constructor::<#ty>(#long, #help, &[#(#choices),*]) #repeated #required)
}

/// The flag of each parameter, in order.
fn parameter_flags(api: &Api, operation: &Operation, taken: &mut BTreeSet<String>) -> Vec<Flag> {
    operation
        .parameters
        .iter()
        .map(|parameter| {
            let location = match parameter.location {
                ParameterLocation::Path => "path",
                ParameterLocation::Query => "query",
                ParameterLocation::Header => "header",
                ParameterLocation::Cookie => "cookie",
            };
            let long = unique_flag(taken, &parameter.name.to_kebab_case(), location);
            let (ty, repeated) = match &parameter.ty {
                TypeRef::Array(item) => ((**item).clone(), true),
                other => (other.clone(), false),
            };
            Flag {
                long,
                choices: choices(api, &ty),
                ty,
                repeated,
                help: parameter_help(parameter),
                required: parameter.required,
            }
        })
        .collect()
}

/// `src/commands.rs`, or `None` when the API has no operation the tool can call.
pub fn commands_rs(
    api: &Api,
    behaviour: &ClientBehaviour,
    crate_name: &str,
    areas: &Areas,
) -> Option<TokenStream> {
    let commands = commands(api);
    if commands.is_empty() {
        return None;
    }
    let bin = bin_name(crate_name);
    let prefix = env_prefix(crate_name);
    let base_url_env = format!("{prefix}_BASE_URL");
    let about = format!(
        "Command-line tool for the {} (version {}): one command per operation.",
        one_line(&api.title),
        one_line(&api.version)
    );
    let credentials = credentials(api);
    let mut reserved: BTreeSet<String> = RESERVED.iter().map(ToString::to_string).collect();
    let mut credential_args = Vec::new();
    for credential in &credentials {
        for (flag, env, help) in &credential.flags {
            reserved.insert(flag.clone());
            let env = format!("{prefix}_{env}");
            credential_args.push(quote!(.arg(cli::secret(#flag, #env, #help))));
        }
    }
    let setters: Vec<&TokenStream> = credentials.iter().map(|c| &c.setter).collect();

    let mut group_commands: BTreeMap<&str, Vec<TokenStream>> = BTreeMap::new();
    let mut group_cfgs: BTreeMap<&str, TokenStream> = BTreeMap::new();
    let mut arms = Vec::new();
    // One small function per operation, for its command and for its call: a tool of a
    // thousand operations in one function made rustc use over 23 GB (Kubernetes').
    let mut functions = Vec::new();
    for (group, name, operation) in &commands {
        let cfg = areas.of_operation(operation);
        group_cfgs.insert(group, cfg.clone());
        let mut taken = reserved.clone();
        let parameters = parameter_flags(api, operation, &mut taken);
        let properties = operation
            .body
            .as_ref()
            .map(|body| body_flags(api, body, &mut taken))
            .unwrap_or_default();
        let paginated = behaviour.paginations.contains_key(&operation.operation_id);
        let waiter = behaviour.waiters.iter().find_map(|waiter| {
            waiter
                .after
                .iter()
                .find(|trigger| trigger.operation_id == operation.operation_id)
                .map(|trigger| (waiter, trigger))
        });

        // The command.
        let summary = operation
            .summary
            .as_deref()
            .map(one_line)
            .unwrap_or_else(|| format!("`{}`", operation.operation_id));
        let mut long_about = summary.clone();
        if let Some(description) = &operation.description {
            long_about.push_str("\n\n");
            long_about.push_str(description.trim());
        }
        long_about.push_str(&format!(
            "\n\nOperation `{}`: {} {}",
            operation.operation_id, operation.http_method, operation.path
        ));
        let mut args: Vec<TokenStream> = parameters
            .iter()
            .map(|flag| flag_tokens(flag, false))
            .collect();
        args.extend(properties.iter().map(|(flag, _)| flag_tokens(flag, true)));
        if let Some(body) = &operation.body {
            let help = match body.encoding {
                BodyEncoding::Json | BodyEncoding::FormUrlEncoded if !properties.is_empty() => {
                    "The request body as JSON, from a file or `-` for standard input; the property flags override its properties"
                }
                BodyEncoding::Json | BodyEncoding::FormUrlEncoded => {
                    "The request body as JSON, from a file or `-` for standard input"
                }
                BodyEncoding::Text => "The request body, as text, from a file or `-` for standard input",
                _ => "The request body, as bytes, from a file or `-` for standard input",
            };
            let help = if body.required {
                format!("{help} (required)")
            } else {
                format!("{help} (optional)")
            };
            args.push(quote!(cli::body_flag(#help)));
        }
        if paginated {
            args.push(quote!(cli::switch(
                "all",
                "Every item of every page, fetched page after page (one JSON item per line)"
            )));
        }
        if let Some((waiter, _)) = waiter {
            let what = waiter.method_name.trim_start_matches("wait_until_");
            let help = format!(
                "Then wait until the resource is {what} (polling `{}`; a spinner on stderr when it is a terminal)",
                waiter.operation_id
            );
            args.push(quote!(cli::switch("wait", #help)));
            args.push(quote!(crate::cli_wait::timeout_arg()));
        }
        let command_fn = format_ident!("{}_command", operation.method_name);
        functions.push(quote! {
            #cfg
            fn #command_fn() -> Command {
                cli::operation(#name, #summary, #long_about) #(.arg(#args))*
            }
        });
        group_commands
            .entry(group)
            .or_default()
            .push(quote!(#command_fn()));

        // The call.
        let method = ident(&operation.method_name);
        let value_of = |flag: &Flag| {
            let long = &flag.long;
            let ty = type_tokens(&flag.ty, false);
            if flag.repeated {
                quote!(cli::many::<#ty>(matches, #long))
            } else {
                quote!(cli::required::<#ty>(matches, #long)?)
            }
        };
        let mut arguments = Vec::new();
        let mut setters_called = Vec::new();
        for (parameter, flag) in operation.parameters.iter().zip(&parameters) {
            if parameter.required {
                arguments.push(value_of(flag));
            } else {
                let setter = ident(&parameter.rust_name);
                let long = &flag.long;
                let ty = type_tokens(&flag.ty, false);
                setters_called.push(if flag.repeated {
                    quote! {
                        let values = cli::many::<#ty>(matches, #long);
                        if !values.is_empty() {
                            request = request.#setter(values);
                        }
                    }
                } else {
                    quote! {
                        if let Some(value) = cli::get::<#ty>(matches, #long) {
                            request = request.#setter(value);
                        }
                    }
                });
            }
        }
        if let Some(body) = &operation.body {
            let property_list: Vec<TokenStream> = properties
                .iter()
                .map(|(flag, json_name)| {
                    let long = &flag.long;
                    let repeated = flag.repeated;
                    quote!((#long, #json_name, #repeated))
                })
                .collect();
            let ty = type_tokens(&body.ty, false);
            let read = match body.encoding {
                BodyEncoding::Text => quote!(cli::text_body(matches)?),
                BodyEncoding::Binary => quote!(cli::raw_body::<Vec<u8>>(matches)?),
                _ => quote!(cli::body::<#ty>(matches, &[#(#property_list),*])?),
            };
            if body.required {
                arguments.push(match body.encoding {
                    BodyEncoding::Json | BodyEncoding::FormUrlEncoded => {
                        quote!(cli::required_body::<#ty>(matches, &[#(#property_list),*])?)
                    }
                    _ => quote!(#read.ok_or_else(|| cli::Failure::usage("--body is required"))?),
                });
            } else {
                setters_called.push(quote! {
                    if let Some(body) = #read {
                        request = request.body(body);
                    }
                });
            }
        }
        let mutable = (!setters_called.is_empty()).then(|| quote!(mut));
        let all = paginated.then(|| {
            quote! {
                if cli::switched(matches, "all") {
                    return context.print_all(request.into_stream()).await;
                }
            }
        });
        let print = match &operation.success {
            Success::Unit => quote!(Ok(())),
            Success::Body(body) => match body.encoding {
                BodyEncoding::Text => quote!(context.print_text(&output)),
                BodyEncoding::Binary => quote!(context.print_bytes(&output)),
                _ => quote!(context.print(&output)),
            },
            Success::Headers | Success::Outcomes { .. } => quote!(context.print_debug(&output)),
        };
        let output_binding = if matches!(operation.success, Success::Unit) {
            quote!(let () = request.await.map_err(cli::failure)?;)
        } else {
            quote!(let output = request.await.map_err(cli::failure)?;)
        };
        let wait = waiter.and_then(|(waiter, trigger)| {
            let polled = api
                .operations
                .iter()
                .find(|candidate| candidate.operation_id == waiter.operation_id)?;
            let polled_method = ident(&polled.method_name);
            let wait_method = ident(&waiter.method_name);
            let what = waiter.method_name.trim_start_matches("wait_until_");
            let arguments: Vec<TokenStream> = trigger
                .arguments
                .iter()
                .map(|(_, source)| match source {
                    WaiterArgument::Parameter(rust_name) => operation
                        .parameters
                        .iter()
                        .zip(&parameters)
                        .find(|(parameter, _)| &parameter.rust_name == rust_name)
                        .map(|(_, flag)| value_of(flag))
                        .unwrap_or_default(),
                    WaiterArgument::Response(field) => {
                        let field = ident(field);
                        quote!(output.#field)
                    }
                })
                .collect();
            let waiting = quote!(context.wait(matches, #what, client.#polled_method(#(#arguments),*).#wait_method(), || #print).await?);
            // A waiter without states ends with nothing (the resource is gone).
            Some(if waiter.state.is_none() {
                quote! {
                    if cli::switched(matches, "wait") {
                        #waiting;
                        return Ok(());
                    }
                }
            } else {
                quote! {
                    if cli::switched(matches, "wait") {
                        let waited = #waiting;
                        return context.print(&waited);
                    }
                }
            })
        });
        let reads_flags = !operation.parameters.is_empty()
            || operation.body.is_some()
            || paginated
            || waiter.is_some();
        let matches_parameter = if reads_flags {
            quote!(matches)
        } else {
            quote!(_matches)
        };
        let prints = !matches!(operation.success, Success::Unit) || paginated || waiter.is_some();
        let context_parameter = if prints {
            quote!(context)
        } else {
            quote!(_context)
        };
        let run_fn = format_ident!("run_{}", operation.method_name);
        functions.push(quote! {
            #cfg
            #[allow(deprecated)]
            async fn #run_fn(
                #context_parameter: &cli::Context,
                client: &crate::Client,
                #matches_parameter: &ArgMatches,
            ) -> Result<(), cli::Failure> {
                let #mutable request = client.#method(#(#arguments),*);
                #(#setters_called)*
                #all
                #output_binding
                #wait
                #print
            }
        });
        // Boxed, so that the dispatch's own future stays small whatever the operations'.
        arms.push(quote! {
            #cfg
            Some((#group, #name, matches)) => Box::pin(#run_fn(context, &client, matches)).await,
        });
    }
    let groups = group_commands.iter().map(|(group, commands)| {
        let cfg = if areas.is_split() {
            group_cfgs.get(group).cloned().unwrap_or_default()
        } else {
            quote!()
        };
        let about = format!("The `{group}` operations");
        quote! {
            #cfg
            cli::group(#group, #about).subcommands([#(#commands),*])
        }
    });
    let docs = format!(
        "The `{bin}` command-line tool (feature `cli`): one command per operation, grouped by area. \
         Run `{bin} --help`; the crate docs' \"Command-line tool\" section has examples."
    );
    let docs = super::docs::inner_doc_attrs(&[docs]);
    Some(quote! {
        #docs
        use clap::{ArgMatches, Command};

        use crate::cli;

        /// The tool's `main`: parses the arguments, runs the command, prints the answer
        /// (or the failure, on stderr) and returns the exit code (see `--help`).
        pub fn main() -> std::process::ExitCode {
            match cli::start(command()) {
                Ok((context, matches)) => cli::finish(run(context, matches)),
                Err(code) => code,
            }
        }

        /// The command tree: global flags, then one subcommand per group and operation.
        pub fn command() -> Command {
            cli::root(#bin, env!("CARGO_PKG_VERSION"), #about, #base_url_env)
                #(#credential_args)*
                .subcommands([#(#groups),*])
        }

        fn client(matches: &ArgMatches) -> Result<crate::Client, cli::Failure> {
            let mut builder = crate::Client::builder();
            if let Some(url) = cli::get::<String>(matches, "base-url") {
                builder = builder.base_url(url);
            }
            #(#setters)*
            builder.build().map_err(cli::build_failure)
        }

        #[cfg(test)]
        #[test]
        fn the_command_tree_is_consistent() {
            command().debug_assert();
        }

        async fn run(context: cli::Context, matches: ArgMatches) -> Result<(), cli::Failure> {
            let client = client(&matches)?;
            let context = &context;
            match cli::chosen(&matches) {
                #(#arms)*
                _ => Err(cli::Failure::usage("no such command; see --help")),
            }
        }

        #(#functions)*
    })
}

/// `src/main.rs`: the binary, which runs the crate's `commands::main`.
pub fn main_rs(crate_name: &str) -> TokenStream {
    let crate_ident = ident(&crate_name.replace('-', "_"));
    let docs = format!(
        "`{}`: the command-line tool of `{crate_name}` (build it with `--features cli`).",
        bin_name(crate_name)
    );
    let docs = super::docs::inner_doc_attrs(&[docs]);
    quote! {
        #docs

        fn main() -> std::process::ExitCode {
            #crate_ident::commands::main()
        }
    }
}

/// A placeholder value of a flag in an example command line.
fn example_value(flag: &Flag) -> String {
    if let Some(first) = flag.choices.first() {
        return first.clone();
    }
    match &flag.ty {
        TypeRef::Integer(_) | TypeRef::Number(_) => "1".to_string(),
        TypeRef::Boolean => "true".to_string(),
        TypeRef::String => format!("my-{}", flag.long),
        _ => format!("\"${}\"", flag.long.to_shouty_snake_case()),
    }
}

/// `<bin> <group> <command>` and the operation's required flags with example values
/// (with `body`, the flags of the body's required properties too).
fn example_line(
    api: &Api,
    bin: &str,
    group: &str,
    name: &str,
    operation: &Operation,
    body: bool,
) -> String {
    let mut taken: BTreeSet<String> = RESERVED.iter().map(ToString::to_string).collect();
    let flags = parameter_flags(api, operation, &mut taken);
    let mut line = format!("{bin} {group} {name}");
    for flag in flags.iter().filter(|flag| flag.required) {
        line.push_str(&format!(" --{} {}", flag.long, example_value(flag)));
    }
    if let (true, Some(request_body)) = (body, &operation.body) {
        for (flag, _) in body_flags(api, request_body, &mut taken) {
            if flag.help.ends_with("Required in the body.") {
                line.push_str(&format!(" --{} {}", flag.long, example_value(&flag)));
            }
        }
    }
    line
}

/// The crate docs' "Command-line tool" section, with example command lines of this API.
pub fn guide_section(api: &Api, behaviour: &ClientBehaviour, crate_name: &str) -> Option<String> {
    let commands = commands(api);
    if commands.is_empty() {
        return None;
    }
    let bin = bin_name(crate_name);
    let prefix = env_prefix(crate_name);
    let mut examples = Vec::new();
    let credential = credentials(api).into_iter().next().and_then(|credential| {
        let (flag, env, _) = credential.flags.first()?;
        Some((flag.clone(), format!("{prefix}_{env}")))
    });
    if let Some((flag, env)) = &credential {
        examples.push(format!("export {env}=...   # or --{flag}; never printed"));
    }
    let listed = commands
        .iter()
        .find(|(_, _, operation)| behaviour.paginations.contains_key(&operation.operation_id));
    if let Some((group, name, operation)) = listed {
        let line = example_line(api, &bin, group, name, operation, true);
        // The page parameter's flag.
        let mut taken: BTreeSet<String> = RESERVED.iter().map(ToString::to_string).collect();
        let page = behaviour
            .paginations
            .get(&operation.operation_id)
            .and_then(|pagination| {
                operation
                    .parameters
                    .iter()
                    .zip(parameter_flags(api, operation, &mut taken))
                    .find(|(parameter, _)| parameter.rust_name == pagination.page_parameter)
            })
            .map_or_else(|| "page".to_string(), |(_, flag)| flag.long);
        examples.push(format!("{line} --{page} 2"));
        examples.push(format!("{line} --all --output table   # every page"));
    } else if let Some((group, name, operation)) = commands.first() {
        examples.push(example_line(api, &bin, group, name, operation, true));
    }
    for (group, name, operation) in &commands {
        let Some(body) = &operation.body else {
            continue;
        };
        let mut taken: BTreeSet<String> = RESERVED.iter().map(ToString::to_string).collect();
        parameter_flags(api, operation, &mut taken);
        let properties = body_flags(api, body, &mut taken);
        if properties.is_empty() {
            continue;
        }
        let line = example_line(api, &bin, group, name, operation, false);
        let required: String = properties
            .iter()
            .filter(|(flag, _)| flag.help.ends_with("Required in the body."))
            .map(|(flag, _)| format!(" --{} {}", flag.long, example_value(flag)))
            .collect();
        let required = match properties.first() {
            Some((flag, _)) if required.is_empty() => {
                format!(" --{} {}", flag.long, example_value(flag))
            }
            _ => required,
        };
        examples.push(format!("{line}{required}"));
        examples.push(format!(
            "{line} --body request.json   # or --body - for stdin"
        ));
        break;
    }
    for (group, name, operation) in &commands {
        let waited = behaviour.waiters.iter().find(|waiter| {
            waiter
                .after
                .iter()
                .any(|trigger| trigger.operation_id == operation.operation_id)
        });
        if let Some(waiter) = waited {
            examples.push(format!(
                "{} --wait   # until {}",
                example_line(api, &bin, group, name, operation, true),
                waiter.method_name.trim_start_matches("wait_until_")
            ));
        }
    }
    let list = if commands.len() <= 40 {
        let lines: Vec<String> = commands
            .iter()
            .map(|(group, name, operation)| {
                format!(
                    "- `{bin} {group} {name}`: {}",
                    super::docs::spec_text(&one_line(
                        operation
                            .summary
                            .as_deref()
                            .unwrap_or(&operation.operation_id)
                    ))
                )
            })
            .collect();
        format!("\n\nIts commands:\n\n{}", lines.join("\n"))
    } else {
        String::new()
    };
    let uncommanded: Vec<String> = api
        .operations
        .iter()
        .filter_map(|operation| {
            let why = unsupported(operation)?;
            Some(format!("- `{}`: {why}", operation.operation_id))
        })
        .collect();
    let uncommanded = if uncommanded.is_empty() {
        String::new()
    } else {
        format!(
            "\n\nOperations without a command (call them from Rust):\n\n{}",
            uncommanded.join("\n")
        )
    };
    let every_credential: Vec<String> = credentials(api)
        .iter()
        .flat_map(|credential| credential.flags.iter())
        .map(|(flag, env, _)| format!("`--{flag}` (or `{prefix}_{env}`)"))
        .collect();
    let credential_text = if every_credential.is_empty() {
        String::new()
    } else {
        format!(
            " Credentials: {}; never printed, not even in `--help`.",
            every_credential.join(", ")
        )
    };
    Some(format!(
        "## Command-line tool\n\n\
         With the `cli` feature the crate also builds `{bin}`, a command-line tool with one \
         command per operation, grouped by area: `cargo install --path . --features cli`, or \
         `cargo run --features cli -- --help`. Every parameter is a typed flag whose help is \
         the spec's description (enum values listed, arrays as repeated flags); a JSON body \
         is read from `--body FILE` (or `-` for standard input) and checked against its type \
         before it is sent, and an object body of plain properties also takes one flag per \
         property. Answers print as JSON (`--output json`, the default) or a compact table \
         (`--output table`). List operations that page take `--all` (every item, one JSON \
         line each, page after page); operations the generator's settings follow with a \
         waiter take `--wait` (a spinner on stderr while it waits, when stderr is a \
         terminal; at most `--wait-timeout SECONDS`, default 600; when the wait fails, \
         the call's own answer is still printed first, so what it did is not lost). The base URL is `--base-url` or `{prefix}_BASE_URL`.{credential_text}\n\n\
         ```sh\n{}\n```{list}{uncommanded}\n\n\
         Exit codes: `0` success; `1` the API answered with an error status (printed on \
         stderr with its status and the error body's fields); `2` usage (a flag or value \
         missing or invalid, nothing sent); `3` transport (the server could not be reached, \
         or the request or the wait timed out); `4` a waited-for resource reached a state \
         from which the awaited one cannot follow.",
        examples.join("\n")
    ))
}
