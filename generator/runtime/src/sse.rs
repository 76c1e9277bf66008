//! Server-sent events: a `text/event-stream` response as a typed stream of events.
//!
//! The wire format (fields, comments, `retry`, multi-line `data`) is parsed by the
//! `eventsource-stream` crate; this module reads the response as it arrives, decodes
//! each event's `data` and ends the stream where the server does.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use eventsource_stream::Eventsource as _;
use futures_core::Stream;
use futures_util::StreamExt as _;
use serde::de::DeserializeOwned;

use crate::call::{Call, Operation, Request};
use crate::error::Error;
use crate::transport;

/// An operation whose success can be a `text/event-stream`: implemented by the
/// generated parameters of such operations, for [`Request::send_stream`].
pub trait StreamingOperation: Operation {
    /// What each event's `data` is decoded as (`String` when the spec gives no schema).
    type Event: Send + 'static;

    /// The events of a streaming response.
    #[doc(hidden)]
    fn events(response: reqwest::Response) -> EventStream<Self::Event>;
}

/// One server-sent event, its `data` decoded.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The `event:` field (empty when the server sends none, which means `message`).
    pub event: String,
    /// The `id:` field (empty when none was sent).
    pub id: String,
    /// The `retry:` field: how long the server asks clients to wait before reconnecting.
    pub retry: Option<Duration>,
    /// The `data:` lines, joined and decoded.
    pub data: T,
}

/// Why an event stream ended early.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The connection failed while the stream was being read.
    Transport(reqwest::Error),
    /// The bytes are not a valid event stream (not UTF-8, say).
    Format(String),
    /// An event's `data` does not match the schema the spec gives for it.
    InvalidData {
        /// The event's `event:` field.
        event: String,
        /// Where and why decoding failed.
        source: serde_json::Error,
    },
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Transport(error) => write!(f, "the event stream broke off: {error}"),
            StreamError::Format(reason) => write!(f, "not a valid event stream: {reason}"),
            StreamError::InvalidData { event, source } => {
                write!(f, "event {event:?} does not match the spec: {source}")
            }
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Transport(error) => Some(error),
            StreamError::InvalidData { source, .. } => Some(source),
            StreamError::Format(_) => None,
        }
    }
}

/// The events of a `text/event-stream` response, read as they arrive: a
/// [`Stream`](futures_core::Stream) of `Result<Event<T>, StreamError>`. It ends when the
/// server closes the stream, or at an event whose data is `[DONE]` (the end marker some
/// APIs send), and after the first error.
pub struct EventStream<T> {
    inner: Pin<Box<dyn Stream<Item = Result<Event<T>, StreamError>> + Send>>,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl EventStream<String> {
    /// Events whose data is text, as sent.
    pub(crate) fn text(response: reqwest::Response) -> Self {
        Self::decoded(response, |data| Ok(data.to_owned()))
    }
}

impl<T: DeserializeOwned + Send + 'static> EventStream<T> {
    /// Events whose data is JSON of type `T`.
    pub(crate) fn json(response: reqwest::Response) -> Self {
        Self::decoded(response, |data| serde_json::from_str(data))
    }
}

impl<T: Send + 'static> EventStream<T> {
    fn decoded(
        response: reqwest::Response,
        decode: fn(&str) -> Result<T, serde_json::Error>,
    ) -> Self {
        let chunks = futures_util::stream::unfold(Some(response), |response| async move {
            let mut response = response?;
            match response.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                Ok(None) => None,
                Err(error) => Some((Err(error), None)),
            }
        });
        let events = chunks
            .eventsource()
            .take_while(|event| {
                let done = matches!(event, Ok(event) if event.data == "[DONE]");
                std::future::ready(!done)
            })
            .map(move |event| match event {
                Ok(event) => match decode(&event.data) {
                    Ok(data) => Ok(Event {
                        event: event.event,
                        id: event.id,
                        retry: event.retry,
                        data,
                    }),
                    Err(source) => Err(StreamError::InvalidData {
                        event: event.event,
                        source,
                    }),
                },
                Err(eventsource_stream::EventStreamError::Transport(error)) => {
                    Err(StreamError::Transport(error))
                }
                Err(other) => Err(StreamError::Format(other.to_string())),
            })
            .scan(false, |failed, item| {
                // Nothing after the first error: the stream's state is unknown.
                let stop = *failed;
                *failed |= item.is_err();
                std::future::ready((!stop).then_some(item))
            });
        EventStream {
            inner: Box::pin(events),
        }
    }
}

impl<'a, P: StreamingOperation> Request<'a, P> {
    /// Sends the request asking for a `text/event-stream` and returns its events as they
    /// arrive. The call is not retried, and no whole-request timeout applies unless
    /// [`timeout`](Self::timeout) sets one (a stream may rightly last long); the client's
    /// connect timeout does.
    ///
    /// # Errors
    /// As [`send`](Self::send) for a response that is not an event stream: a documented
    /// error status is [`Error::Api`], and a success answered in another form is
    /// [`Error::UndocumentedSuccess`].
    pub async fn send_stream(self) -> Result<EventStream<P::Event>, Error<P::Error>> {
        let (core, params, options) = self.into_parts();
        if core.config.validate_requests {
            params.validate()?;
        }
        let request = params
            .build(Call::start(core))?
            .finish()?
            .header(reqwest::header::ACCEPT, "text/event-stream");
        let call = transport::Call {
            operation_id: P::OPERATION_ID,
            idempotent: P::IDEMPOTENT,
        };
        match transport::open_stream(&core.http, &core.config, request, call, &options).await? {
            transport::Opened::Stream(response) => Ok(P::events(response)),
            transport::Opened::Whole(response) => {
                let kept = response.clone();
                match P::decode(response) {
                    Err(error) => Err(error),
                    Ok(_) => Err(Error::UndocumentedSuccess(kept)),
                }
            }
        }
    }
}
