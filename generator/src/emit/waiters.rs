//! `src/waiters.rs`: the waiters the settings declare, each a `wait_until_<name>` method
//! on the polled operation's request builder (runtime: `generator/runtime/src/wait.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::errors::error_type_name;
use super::rust_type::{ident, type_tokens};
use crate::ir::{Api, ClientBehaviour, Success, Waiter};

/// The `waiters` module.
pub fn waiters_rs(
    api: &Api,
    behaviour: &ClientBehaviour,
    areas: &super::areas::Areas,
) -> TokenStream {
    let methods = behaviour.waiters.iter().filter_map(|waiter| {
        let operation = api
            .operations
            .iter()
            .find(|operation| operation.operation_id == waiter.operation_id)?;
        let cfg = areas.of_operation(operation);
        waiter_method(api, waiter).map(|items| super::areas::with_attribute(items, &cfg))
    });
    let allow_unused = areas.is_split().then(|| quote!(#[allow(unused_imports)]));
    quote! {
        //! Waiters: poll an operation until its resource reaches a target state.

        #allow_unused
        use crate::wait::{poll_future, Observation, PollFuture, Waiter};

        #(#methods)*
    }
}

fn waiter_method(api: &Api, waiter: &Waiter) -> Option<TokenStream> {
    let operation = api
        .operations
        .iter()
        .find(|operation| operation.operation_id == waiter.operation_id)?;
    let builder = ident(&operation.type_name);
    let error = ident(&error_type_name(operation));
    let resource = match &operation.success {
        Success::Body(body) => type_tokens(&body.ty, false),
        Success::Unit => quote!(()),
        // Refused by the settings check: a waiter needs one success type.
        Success::Outcomes { .. } | Success::Headers => return None,
    };
    let method = ident(&waiter.method_name);
    let has_success_states = waiter
        .state
        .as_ref()
        .is_some_and(|state| !state.success.is_empty());
    let output = if has_success_states {
        resource.clone()
    } else {
        quote!(())
    };

    // Classifies a successfully read resource.
    let classify = match &waiter.state {
        Some(state) => {
            let field = ident(&state.field);
            let current = if state.optional {
                quote!(resource.#field.as_ref().map(|state| state.as_str()))
            } else {
                quote!(Some(resource.#field.as_str()))
            };
            let success = &state.success;
            let failure = &state.failure;
            let done = if state.success.is_empty() {
                quote!()
            } else {
                quote! {
                    if matches!(current, #(Some(#success))|*) {
                        return Ok(Observation::Done(resource));
                    }
                }
            };
            let failed = if state.failure.is_empty() {
                quote!()
            } else {
                let pattern = if failure.len() == 1 {
                    quote!(#(#failure)*)
                } else {
                    quote!((#(#failure)|*))
                };
                quote! {
                    if let Some(state @ #pattern) = current {
                        let state = state.to_string();
                        return Ok(Observation::Failed(state, resource));
                    }
                }
            };
            quote! {
                let current = #current;
                #done
                #failed
                Ok(Observation::Pending(resource))
            }
        }
        None => quote!(Ok(Observation::Pending(resource))),
    };
    let poll = if waiter.success_statuses.is_empty() {
        quote! {
            let resource = match request.await {
                Ok(resource) => resource,
                Err(error) => return Err(error),
            };
            #classify
        }
    } else {
        let statuses = &waiter.success_statuses;
        quote! {
            match request.await {
                Ok(resource) => { #classify }
                Err(error) if error.status().is_some_and(|status| matches!(status.as_u16(), #(#statuses)|*)) => {
                    Ok(Observation::Done(()))
                }
                Err(error) => Err(error),
            }
        }
    };
    let docs = doc_attrs(&[waiter_docs(operation.method_name.as_str(), waiter)]);
    Some(quote! {
        impl<'a> crate::Request<'a, crate::operations::#builder> {
            #docs
            pub fn #method(self) -> Waiter<'a, #resource, #output, crate::errors::#error> {
                Waiter::new(Box::new(move || -> PollFuture<'a, #resource, #output, crate::errors::#error> {
                    let request = self.clone();
                    poll_future(async move { #poll })
                }))
            }
        }
    })
}

fn waiter_docs(method: &str, waiter: &Waiter) -> String {
    let mut lines = Vec::new();
    let mut target = Vec::new();
    if let Some(state) = waiter
        .state
        .as_ref()
        .filter(|state| !state.success.is_empty())
    {
        target.push(format!(
            "`{}` is {}",
            state.json_name,
            quoted(&state.success)
        ));
    }
    if !waiter.success_statuses.is_empty() {
        let statuses: Vec<String> = waiter.success_statuses.iter().map(u16::to_string).collect();
        target.push(format!(
            "the request answers {} (e.g. the resource is gone)",
            statuses.join(" or ")
        ));
    }
    lines.push(format!(
        "Sends this [`{method}`](crate::Client::{method}) request again and again until {}.",
        target.join(", or ")
    ));
    if let Some(state) = waiter
        .state
        .as_ref()
        .filter(|state| !state.failure.is_empty())
    {
        lines.push(format!(
            "Fails at once with [`WaitError::Failed`](crate::WaitError::Failed) when `{}` is {}: \
             the target cannot follow from there.",
            state.json_name,
            quoted(&state.failure)
        ));
    }
    lines.push(
        "Polls with exponential backoff and jitter between the intervals set on the returned \
         [`Waiter`] (default 1 s to 15 s), for at most its `max_wait` (default 10 min); then \
         [`WaitError::TimedOut`](crate::WaitError::TimedOut) carries the last resource read. \
         A failed poll (after its own retries) ends the wait with \
         [`WaitError::Request`](crate::WaitError::Request). Declared in the generator's settings."
            .to_string(),
    );
    lines.join("\n\n")
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|value| format!("`{value}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}
