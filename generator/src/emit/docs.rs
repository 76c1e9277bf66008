//! Doc comments, and spec text made safe for them.
//!
//! Spec descriptions are CommonMark written for a web page, not for rustdoc. Rustdoc
//! would run a fenced or indented code block as a Rust doctest, resolve `[word]` as an
//! intra-doc link and warn about bare URLs and unknown HTML tags. So [`spec_text`], used
//! on every text that comes from the spec, does this outside code: fences are marked
//! `text`, indented blocks are fenced as `text`, brackets that are not a markdown link
//! are escaped, bare URLs are put in `<...>` and `<` that does not open a link is
//! escaped. Text the generator writes itself (with intra-doc links) is used as is.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for `paragraphs`, separated by blank doc lines; empty
/// paragraphs are skipped. Spec text must go through [`spec_text`] first.
pub fn doc_attrs<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "..."]` attributes, for a module's or crate's own docs.
pub fn inner_doc_attrs<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote! { #( #![doc = #lines] )* }
}

fn doc_lines<S: AsRef<str>>(paragraphs: &[S]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs {
        let text = paragraph.as_ref().trim_end();
        if text.trim().is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(text.lines().map(str::to_string));
    }
    lines
        .into_iter()
        .map(|line| {
            if line.is_empty() {
                line
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// Spec markdown made safe for rustdoc (see the module docs).
pub fn spec_text(text: &str) -> String {
    sanitize(text.trim()).join("\n")
}

/// Inline code for docs: `value` in backticks, with enough backticks to hold any inside.
pub fn code(value: &str) -> String {
    let longest_run = value.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if value.starts_with('`') || value.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{value}{pad}{fence}")
}

/// Rewrites spec markdown into rustdoc-safe lines.
fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None; // The fence that opened the current code block.
    let mut in_indented_block = false;
    let mut previous_blank = true;
    let mut list_indent: Option<usize> = None; // Text column of the current list item.
    let lines: Vec<&str> = text.lines().collect();
    for (index, raw_line) in lines.iter().enumerate() {
        let line = raw_line.trim_end();
        let trimmed = line.trim_start();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str())
                && trimmed.trim_start_matches(open.as_str()).trim().is_empty()
            {
                fence = None;
            }
            out.push(line.to_string());
            previous_blank = false;
            continue;
        }
        if let Some(marker) = fence_marker(trimmed) {
            fence = Some(marker.clone());
            let indent = &line[..line.len() - trimmed.len()];
            out.push(format!("{indent}{marker}text"));
            previous_blank = false;
            continue;
        }
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if in_indented_block {
            if indented || line.is_empty() {
                out.push(line.to_string());
                continue;
            }
            close_indented_block(&mut out);
            in_indented_block = false;
        } else if indented && previous_blank && !trimmed.is_empty() {
            out.push("```text".to_string());
            out.push(line.to_string());
            in_indented_block = true;
            continue;
        }
        // A line right under a block quote would continue the quote lazily; authors mean
        // a new paragraph (and clippy's `doc_lazy_continuation` says so), so one starts.
        if !line.is_empty()
            && !trimmed.starts_with('>')
            && out
                .last()
                .is_some_and(|last| last.trim_start().starts_with('>'))
        {
            out.push(String::new());
        }
        previous_blank = line.is_empty();
        // A line right under a list item continues that item; rustdoc (and clippy's
        // `doc_lazy_continuation`) want it indented to the item's text.
        let marker_width = list_marker_width(trimmed);
        if marker_width.is_some() && list_indent.is_none() && !previous_line_blank(&lines, index) {
            // A one-line "list" that interrupts a paragraph and is followed by more
            // paragraph text is a hard-wrapped sentence whose line happens to start
            // with `+` or `-`: keep it text.
            let next = lines.get(index + 1).map_or("", |next| next.trim_end());
            if !next.is_empty()
                && list_marker_width(next.trim_start()).is_none()
                && !next.starts_with(' ')
            {
                out.push(format!("\\{}", escape_inline(line)));
                continue;
            }
        }
        if line.is_empty() {
            list_indent = None;
        } else if marker_width.is_some() {
            list_indent = marker_width.map(|width| width + (line.len() - trimmed.len()));
        } else if let Some(indent) = list_indent {
            if line.len() - trimmed.len() < indent {
                out.push(format!("{}{}", " ".repeat(indent), escape_inline(trimmed)));
                continue;
            }
        }
        out.push(escape_inline(line));
    }
    if in_indented_block {
        close_indented_block(&mut out);
    }
    if fence.is_some() {
        out.push("```".to_string()); // An unclosed fence would swallow the rest of the docs.
    }
    out
}

fn previous_line_blank(lines: &[&str], index: usize) -> bool {
    index == 0 || lines[index - 1].trim().is_empty()
}

/// Width of a list marker (`- `, `* `, `+ `, `1. `, `1) `) starting `trimmed`.
fn list_marker_width(trimmed: &str) -> Option<usize> {
    if ["- ", "* ", "+ "]
        .iter()
        .any(|marker| trimmed.starts_with(marker))
    {
        return Some(2);
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    let rest = &trimmed[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
}

fn close_indented_block(out: &mut Vec<String>) {
    let mut trailing_blank = 0;
    while out.last().is_some_and(String::is_empty) {
        out.pop();
        trailing_blank += 1;
    }
    out.push("```".to_string());
    out.extend(std::iter::repeat_n(String::new(), trailing_blank));
}

/// "```" or "~~~" (or longer) opening a fenced block, without its info string.
fn fence_marker(trimmed: &str) -> Option<String> {
    for ch in ['`', '~'] {
        let count = trimmed.chars().take_while(|c| *c == ch).count();
        if count >= 3 {
            return Some(ch.to_string().repeat(count));
        }
    }
    None
}

/// Escapes brackets, `<` and bare URLs outside inline code spans.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.chars().collect();
    // Why: the next `]` from each place, found once; searched from every `[` (and the
    // rest of the line copied at every character to look for a URL), a long line took
    // quadratic time (a 300 kB description, half a minute; found by `cargo xtask fuzz`).
    let mut next_close = vec![None; chars.len() + 1];
    for at in (0..chars.len()).rev() {
        next_close[at] = if chars[at] == ']' {
            Some(at)
        } else {
            next_close[at + 1]
        };
    }
    let at_url =
        |at: usize| starts_with_at(&chars, at, "http://") || starts_with_at(&chars, at, "https://");
    let mut index = 0;
    while index < chars.len() {
        let ch = chars[index];
        if ch == '`' {
            // Copy an inline code span verbatim.
            let run = chars[index..].iter().take_while(|c| **c == '`').count();
            let closing = find_run(&chars, index + run, run);
            let end = closing.map_or(index + run, |close| close + run);
            out.extend(&chars[index..end]);
            index = end;
            continue;
        }
        if ch == '[' {
            if let Some(close) = next_close[index] {
                if chars.get(close + 1) == Some(&'(') {
                    out.extend(&chars[index..=close]);
                    index = close + 1;
                    continue;
                }
            }
            out.push_str("\\[");
            index += 1;
            continue;
        }
        if ch == ']' {
            out.push_str("\\]");
            index += 1;
            continue;
        }
        if ch == '<' {
            if at_url(index + 1) {
                out.push('<');
            } else {
                out.push_str("&lt;");
            }
            index += 1;
            continue;
        }
        let after_paren = index > 0 && matches!(chars[index - 1], '(' | '<');
        if !after_paren && at_url(index) {
            let url: String = chars[index..]
                .iter()
                .copied()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | '>' | '"' | '\''))
                .collect();
            let url = url.trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            index += url.chars().count();
            continue;
        }
        out.push(ch);
        index += 1;
    }
    out
}

/// Whether `chars` has `prefix` at `at`.
fn starts_with_at(chars: &[char], at: usize, prefix: &str) -> bool {
    let mut rest = chars.get(at..).unwrap_or_default().iter();
    prefix
        .chars()
        .all(|expected| rest.next() == Some(&expected))
}

/// Position of the next run of exactly `length` backticks at or after `from`.
fn find_run(chars: &[char], from: usize, length: usize) -> Option<usize> {
    let mut index = from;
    while index < chars.len() {
        if chars[index] == '`' {
            let run = chars[index..].iter().take_while(|c| **c == '`').count();
            if run == length {
                return Some(index);
            }
            index += run;
        } else {
            index += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_are_not_doctests_and_brackets_are_not_links() {
        let lines = sanitize("Pairs [unix_seconds, value] see [docs](https://x.test).\n\n```js\nlet a = [1];\n```\n\n    indented code\n\nSee https://example.com/a. and <b>");
        assert_eq!(
            lines,
            vec![
                "Pairs \\[unix_seconds, value\\] see [docs](https://x.test).",
                "",
                "```text",
                "let a = [1];",
                "```",
                "",
                "```text",
                "    indented code",
                "```",
                "",
                "See <https://example.com/a>. and &lt;b>",
            ]
        );
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(
            sanitize("state (memory\n+ filesystem) is\ncaptured.\n\nNext"),
            vec![
                "state (memory",
                "\\+ filesystem) is",
                "captured.",
                "",
                "Next"
            ]
        );
        assert_eq!(sanitize("> note\nafter"), vec!["> note", "", "after"]);
        assert_eq!(
            sanitize("Modes:\n- a\n- b\nmore\n\nEnd"),
            vec!["Modes:", "- a", "- b", "  more", "", "End"]
        );
    }
}
