//! A stream of every item of a list operation, page after page.

use std::collections::VecDeque;
use std::future::Future;

use futures_core::Stream;

use crate::error::Error;

/// One page, as the stream needs it.
pub(crate) struct Page<T> {
    /// The page's items, in order.
    pub(crate) items: Vec<T>,
    /// The total number of items across all pages, when the response says.
    pub(crate) total: Option<u64>,
}

/// Where the stream is.
struct Cursor<T, F> {
    fetch: F,
    /// The page to fetch when `buffered` runs out; `None` once the last page was read.
    next_page: Option<i64>,
    buffered: VecDeque<T>,
    /// Items on the pages up to and including the last one fetched.
    seen: u64,
    first_page: i64,
    page_size: Option<u64>,
}

/// Every item of the pages `first_page`, `first_page + 1`, ... fetched one at a time by
/// `fetch`, as soon as the previous page's items have been consumed.
///
/// The stream ends after the page that brings the count to `total` (items before
/// `first_page` are counted as `(first_page - 1) * page_size`, the page size being the
/// caller's limit or else the first page's length), after an empty page, or after the
/// first error, which it yields.
pub(crate) fn items<T, E, F, Fut>(
    first_page: i64,
    page_size: Option<u64>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error<E>>>
where
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error<E>>>,
{
    let cursor = Cursor {
        fetch,
        next_page: Some(first_page),
        buffered: VecDeque::new(),
        seen: 0,
        first_page,
        page_size,
    };
    futures_util::stream::unfold(cursor, |mut cursor| async move {
        loop {
            if let Some(item) = cursor.buffered.pop_front() {
                return Some((Ok(item), cursor));
            }
            let page = cursor.next_page?;
            match (cursor.fetch)(page).await {
                Err(error) => {
                    cursor.next_page = None;
                    return Some((Err(error), cursor));
                }
                Ok(fetched) => {
                    let count = u64::try_from(fetched.items.len()).unwrap_or(u64::MAX);
                    if page == cursor.first_page {
                        let skipped_pages =
                            u64::try_from(cursor.first_page.saturating_sub(1)).unwrap_or(0);
                        cursor.seen =
                            skipped_pages.saturating_mul(cursor.page_size.unwrap_or(count));
                    }
                    cursor.seen = cursor.seen.saturating_add(count);
                    let complete =
                        count == 0 || fetched.total.is_some_and(|total| cursor.seen >= total);
                    cursor.next_page = if complete { None } else { page.checked_add(1) };
                    cursor.buffered.extend(fetched.items);
                }
            }
        }
    })
}
