//! Unit tests of the runtime, where it is written. (Not copied into generated crates:
//! the generator copies the module files listed in `generator/src/emit/mod.rs` only.)

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{StatusCode, Url};

use crate::error::{BuildError, Error, RawResponse};
use crate::pagination::{items, Page};
use crate::redact::Secrets;
use crate::request::{self, PathValue, Style};
use crate::retry;

fn base() -> Url {
    Url::parse("https://api.example.com/v1/").unwrap()
}

fn pairs(pairs: Vec<(String, String)>) -> Vec<(&'static str, String)> {
    pairs
        .into_iter()
        .map(|(name, value)| (&*Box::leak(name.into_boxed_str()), value))
        .collect()
}

// --- Retry-After -------------------------------------------------------------------------

#[test]
fn retry_after_reads_seconds_and_http_dates_and_ignores_the_rest() {
    let header = |value: &str| {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        retry::retry_after(&headers)
    };
    assert_eq!(header("120"), Some(Duration::from_secs(120)));
    assert_eq!(header(" 7 "), Some(Duration::from_secs(7)));
    assert_eq!(
        header("Thu, 01 Jan 1970 00:00:00 GMT"),
        Some(Duration::ZERO)
    );
    let future = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3600));
    let wait = header(&future).unwrap();
    assert!(
        wait > Duration::from_secs(3500) && wait <= Duration::from_secs(3600),
        "{wait:?}"
    );
    assert_eq!(header("-1"), None);
    assert_eq!(header("soon"), None);
    assert_eq!(retry::retry_after(&HeaderMap::new()), None);
}

#[test]
fn a_retry_after_is_cut_to_the_policys_cap() {
    let policy = retry::RetryPolicy::default().with_max_retry_after(Duration::from_secs(2));
    let mut backoff = policy.backoff();
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, HeaderValue::from_static("999999"));
    assert_eq!(backoff.next_delay(Some(&headers)), Duration::from_secs(2));
    // Without a header: the backoff step, never above max_backoff (8 s by default).
    assert!(backoff.next_delay(None) <= Duration::from_secs(8));
}

// --- Query styles ------------------------------------------------------------------------

#[test]
fn query_styles_lay_out_arrays_and_objects_as_openapi_says() {
    let list = vec!["a b", "c"];
    assert_eq!(
        pairs(request::query_pairs("tag", &list, Style::FORM).unwrap()),
        [("tag", "a b".to_string()), ("tag", "c".to_string())]
    );
    assert_eq!(
        pairs(request::query_pairs("tag", &list, Style::Form { explode: false }).unwrap()),
        [("tag", "a b,c".to_string())]
    );
    assert_eq!(
        pairs(request::query_pairs("tag", &list, Style::SpaceDelimited).unwrap()),
        [("tag", "a b c".to_string())]
    );
    assert_eq!(
        pairs(request::query_pairs("tag", &list, Style::PipeDelimited).unwrap()),
        [("tag", "a b|c".to_string())]
    );
    let object = serde_json::json!({"min": 1, "name": "x"});
    assert_eq!(
        pairs(request::query_pairs("filter", &object, Style::FORM).unwrap()),
        [("min", "1".to_string()), ("name", "x".to_string())]
    );
    assert_eq!(
        pairs(request::query_pairs("filter", &object, Style::Json).unwrap()),
        [("filter", r#"{"min":1,"name":"x"}"#.to_string())]
    );
}

#[test]
fn a_none_parameter_is_left_out_in_every_style() {
    for style in [
        Style::FORM,
        Style::Form { explode: false },
        Style::DeepObject,
        Style::Json,
    ] {
        assert!(request::query_pairs("q", &None::<Vec<u8>>, style)
            .unwrap()
            .is_empty());
    }
    assert_eq!(
        pairs(request::query_pairs("q", &Some(0), Style::FORM).unwrap()),
        [("q", "0".to_string())]
    );
}

#[test]
fn deep_object_nests_brackets_and_repeats_array_items() {
    let value = serde_json::json!({"a": {"b": 1, "c": [true, false]}, "d": null});
    assert_eq!(
        pairs(request::query_pairs("q", &value, Style::DeepObject).unwrap()),
        [
            ("q[a][b]", "1".to_string()),
            ("q[a][c]", "true".to_string()),
            ("q[a][c]", "false".to_string()),
            ("q[d]", String::new()),
        ]
    );
}

#[test]
fn header_values_refuse_line_breaks() {
    let error = request::header_value("X-Trace", "a\r\nb", Style::SIMPLE).unwrap_err();
    assert_eq!(error.parameter, "X-Trace");
    let object = serde_json::json!({"k": "v", "n": 2});
    assert_eq!(
        request::header_value("X", &object, Style::Simple { explode: true }).unwrap(),
        Some(HeaderValue::from_static("k=v,n=2"))
    );
    // `None` leaves the header out.
    assert_eq!(
        request::header_value("X", &None::<u8>, Style::SIMPLE).unwrap(),
        None
    );
}

// --- Paths -------------------------------------------------------------------------------

#[test]
fn path_values_are_percent_encoded_byte_by_byte() {
    let url = request::endpoint(&base(), "/orgs/{org}/items", &[&"a/b?c#d%e f\t\r\n..é"]).unwrap();
    assert_eq!(
        url.as_str(),
        "https://api.example.com/v1/orgs/a%2Fb%3Fc%23d%25e%20f%09%0D%0A..%C3%A9/items"
    );
}

#[test]
fn path_templates_fill_each_name_with_the_next_value() {
    let url = request::endpoint(
        &base(),
        "/orgs/{org}/files/{name}.{ext}",
        &[&"o/1", &"a", &"b"],
    )
    .unwrap();
    assert_eq!(url.path(), "/v1/orgs/o%2F1/files/a.b");
    let url = request::endpoint(&base(), "/{org}/files/", &[&"o"]).unwrap();
    assert_eq!(url.path(), "/v1/o/files/");
    let error = request::endpoint(&base(), "/x/{id}", &[&""]).unwrap_err();
    assert_eq!(error.parameter, "id");
    // A template whose names and values do not pair up is refused, naming the template.
    for (template, values) in [
        ("/x/{id}", &[][..]),
        ("/x/{id", &[&"1" as &dyn PathValue][..]),
        ("/x", &[&"1" as &dyn PathValue][..]),
    ] {
        let error = request::endpoint(&base(), template, values).unwrap_err();
        assert_eq!(error.parameter, "path", "{template}");
        assert!(error.reason.contains(template), "{}", error.reason);
    }
}

#[test]
fn segments_that_would_be_empty_or_dots_as_sent_are_refused() {
    for value in ["", ".", ".."] {
        let error = request::endpoint(&base(), "/orgs/{org}", &[&value]).unwrap_err();
        assert_eq!(error.parameter, "org", "{value:?}");
    }
    // Two parameters in one segment, each harmless alone, are judged together.
    let error = request::endpoint(&base(), "/files/{stem}{extension}", &[&".", &"."]).unwrap_err();
    assert_eq!(error.parameter, "stem");
    // Text of the template around a value is its own: `.json` keeps the segment safe.
    let url = request::endpoint(&base(), "/files/{stem}.json", &[&"."]).unwrap();
    assert_eq!(url.path(), "/v1/files/..json");
}

/// The path is read relative to the base URL when it starts with one `/`; any other path
/// stays a path under the base's host, as it was when set on a copy of the base.
#[test]
fn paths_that_do_not_start_with_one_slash_stay_under_the_base_host() {
    let bare = Url::parse("https://api.example.com").unwrap();
    for (base, template, expected) in [
        (&bare, "items/{id}", "https://api.example.com/items/7"),
        (&bare, "//items/{id}", "https://api.example.com//items/7"),
        (
            &base(),
            "//items/{id}",
            "https://api.example.com/v1//items/7",
        ),
        (&bare, "/items/../{id}", "https://api.example.com/7"),
    ] {
        let url = request::endpoint(base, template, &[&"7"]).unwrap();
        assert_eq!(url.as_str(), expected, "{template}");
    }
    let url = request::endpoint(&bare, "", &[]).unwrap();
    assert_eq!(url.as_str(), "https://api.example.com/");
}

/// The URL `endpoint` parses is the one the base URL gives when the same path is set on
/// a copy of it (how it was made until the copy's growing was found to cost), for paths
/// made of the bytes that mean something in a URL, on bases with and without a path.
#[test]
fn a_path_parsed_against_the_base_is_the_path_set_on_a_copy_of_it() {
    const PIECES: &[&str] = &[
        "/", "//", ".", "..", "%", "%2e", "%2F", "\\", "?", "#", ":", "@", ";", "=", " ", "a", "é",
        "\t", "~", "[", "]", "|", "^", "'",
    ];
    let bases = [
        "https://api.example.com",
        "https://api.example.com/",
        "https://api.example.com/v1",
        "http://127.0.0.1:8080/a/b/",
        "https://h/%7Euser//x",
    ];
    // A fixed xorshift sequence: the same cases on every run.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % bound as u64).unwrap()
    };
    for case in 0..20_000 {
        let base = Url::parse(bases[case % bases.len()]).unwrap();
        let length = next(8);
        let template: String = (0..length).map(|_| PIECES[next(PIECES.len())]).collect();
        let template: &'static str = Box::leak(template.into_boxed_str());
        let parsed = request::endpoint(&base, template, &[]).unwrap();
        let mut set = base.clone();
        set.set_path(&format!(
            "{}{}",
            base.path().trim_end_matches('/'),
            percent_encoding::utf8_percent_encode(template, request::TEMPLATE_TEXT)
        ));
        assert_eq!(parsed.as_str(), set.as_str(), "{base} + {template:?}");
    }
}

#[test]
fn template_text_with_reserved_characters_is_percent_encoded() {
    let url = request::endpoint(&base(), "/a b/{id}/c%d\"e", &[&"1"]).unwrap();
    assert_eq!(url.path(), "/v1/a%20b/1/c%25d%22e");
}

/// The fast checks of what needs no encoding agree, byte by byte, with the sets that
/// encode: a byte the check lets through unencoded is one the set leaves alone.
#[test]
fn fast_paths_agree_with_the_percent_encode_sets() {
    for byte in 0..=127u8 {
        let text = char::from(byte).to_string();
        let mut as_value = String::new();
        text.encode_into(&mut as_value);
        assert_eq!(
            as_value,
            percent_encoding::utf8_percent_encode(&text, request::PATH_VALUE).to_string(),
            "value byte {byte:#04x}"
        );
        // In a template, `/` and `{` are structure; any other byte is text.
        if byte != b'/' && byte != b'{' && byte != b'}' {
            let url = request::endpoint(&base(), &*format!("/x{text}y").leak(), &[]).unwrap();
            let expected = format!(
                "/v1/x{}y",
                percent_encoding::utf8_percent_encode(&text, request::TEMPLATE_TEXT)
            );
            assert_eq!(url.path(), expected, "template byte {byte:#04x}");
        }
    }
}

/// Integers, booleans and UUIDs are written into the path by their `Display`, which is
/// the text `path_text` (their JSON spelling) gives, and what the mock kit matches.
#[test]
fn displayed_path_values_spell_as_their_json() {
    fn both<T: serde::Serialize + std::fmt::Display>(value: T) -> (String, String) {
        let mut displayed = String::new();
        request::Displayed(&value).encode_into(&mut displayed);
        let mut json = String::new();
        request::path_text("id", &value)
            .unwrap()
            .encode_into(&mut json);
        (displayed, json)
    }
    let uuid = uuid::Uuid::parse_str("6F1C2B9E-5D3A-4C7E-9B1F-2A8D4E6C0F17").unwrap();
    for (displayed, json) in [
        both(uuid),
        both(-42_i64),
        both(u64::MAX),
        both(7_u8),
        both(i32::MIN),
        both(true),
        both(false),
    ] {
        assert_eq!(displayed, json);
    }
    assert_eq!(both(uuid).0, "6f1c2b9e-5d3a-4c7e-9b1f-2a8d4e6c0f17");
    // A `Display` with reserved characters is percent-encoded like any value.
    let mut path = String::from("/x/");
    request::Displayed(&"a b/c").encode_into(&mut path);
    assert_eq!(path, "/x/a%20b%2Fc");
}

/// A path value laid out by `style`, as sent.
fn styled(name: &'static str, value: serde_json::Value, style: Style) -> String {
    let mut path = String::new();
    request::path_value(name, &value, style)
        .unwrap()
        .encode_into(&mut path);
    path
}

/// OpenAPI 3.0.3's style examples (`color` = `"blue"`, `[3, 4, 5]`, an object), with the
/// object's properties in key order (as a generated crate's serde_json sends them).
#[test]
fn label_and_matrix_path_values_follow_the_openapi_style_tables() {
    let array = serde_json::json!([3, 4, 5]);
    let object = serde_json::json!({"B": 150, "G": 200, "R": 100});
    let label = |explode| Style::Label { explode };
    let matrix = |explode| Style::Matrix { explode };
    let cases = [
        (serde_json::json!(5), label(false), ".5"),
        (serde_json::json!(5), label(true), ".5"),
        (array.clone(), label(false), ".3,4,5"),
        (array.clone(), label(true), ".3.4.5"),
        (object.clone(), label(false), ".B,150,G,200,R,100"),
        (object.clone(), label(true), ".B=150.G=200.R=100"),
        (serde_json::json!("blue"), matrix(false), ";color=blue"),
        (serde_json::json!("blue"), matrix(true), ";color=blue"),
        (array.clone(), matrix(false), ";color=3,4,5"),
        (array, matrix(true), ";color=3;color=4;color=5"),
        (object.clone(), matrix(false), ";color=B,150,G,200,R,100"),
        (object, matrix(true), ";B=150;G=200;R=100"),
        // Empty: `.` and the bare name, as the tables say.
        (serde_json::json!(""), label(false), "."),
        (serde_json::json!(""), matrix(false), ";color"),
        (serde_json::json!(true), matrix(false), ";color=true"),
    ];
    for (value, style, sent) in cases {
        assert_eq!(
            styled("color", value.clone(), style),
            sent,
            "{value} {style:?}"
        );
    }
    // An empty array or object, or `null`, is undefined: nothing is sent (RFC 6570).
    for value in [
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::Value::Null,
    ] {
        for style in [label(false), label(true), matrix(false), matrix(true)] {
            assert_eq!(
                styled("color", value.clone(), style),
                "",
                "{value} {style:?}"
            );
        }
    }
}

#[test]
fn styled_path_values_encode_reserved_characters_but_not_their_delimiters() {
    let text = serde_json::json!("a/b;c,d e=f.g");
    assert_eq!(
        styled("id", text.clone(), Style::Label { explode: false }),
        ".a%2Fb%3Bc%2Cd%20e%3Df.g"
    );
    assert_eq!(
        styled("id", text, Style::Matrix { explode: false }),
        ";id=a%2Fb%3Bc%2Cd%20e%3Df.g"
    );
    let list = serde_json::json!(["x,y", "p;q"]);
    assert_eq!(
        styled("id", list.clone(), Style::Label { explode: true }),
        ".x%2Cy.p%3Bq"
    );
    assert_eq!(
        styled("id", list, Style::Matrix { explode: false }),
        ";id=x%2Cy,p%3Bq"
    );
    // Keys and the parameter's own name are encoded the same way.
    let object = serde_json::json!({"k=1": "v/2"});
    assert_eq!(
        styled("a b", object.clone(), Style::Matrix { explode: false }),
        ";a%20b=k%3D1,v%2F2"
    );
    assert_eq!(
        styled("a b", object.clone(), Style::Matrix { explode: true }),
        ";k%3D1=v%2F2"
    );
    assert_eq!(
        styled("a b", object, Style::Label { explode: true }),
        ".k%3D1=v%2F2"
    );
    // Any other style is `simple`, exactly as `path_text` sends it.
    let array = serde_json::json!(["a,b", "c"]);
    let mut simple = String::new();
    request::path_text("id", &array)
        .unwrap()
        .encode_into(&mut simple);
    assert_eq!(simple, "a%2Cb%2Cc");
    assert_eq!(styled("id", array, Style::SIMPLE), simple);
}

#[test]
fn a_label_value_that_would_make_a_dot_segment_is_refused() {
    let endpoint = |value: serde_json::Value, style: Style| {
        let value = request::path_value("id", &value, style).unwrap();
        request::endpoint(&base(), "/files/{id}", &[&value])
    };
    let label = Style::Label { explode: false };
    for value in [
        serde_json::json!(""),
        serde_json::json!("."),
        serde_json::json!([]),
    ] {
        let error = endpoint(value.clone(), label).unwrap_err();
        assert_eq!(error.parameter, "id", "{value}");
    }
    assert_eq!(
        endpoint(serde_json::json!(".."), label).unwrap().path(),
        "/v1/files/..."
    );
    assert_eq!(
        endpoint(serde_json::json!(""), Style::Matrix { explode: false })
            .unwrap()
            .path(),
        "/v1/files/;id"
    );
    let point = serde_json::json!({"x": 1, "y": 2});
    assert_eq!(
        endpoint(point, Style::Matrix { explode: true })
            .unwrap()
            .path(),
        "/v1/files/;x=1;y=2"
    );
}

#[test]
fn user_info_in_a_base_url_becomes_basic_credentials() {
    let cases = [
        // base64("me:s3cret"), base64("me:"), base64(":pw"), base64("a b:p@ss")
        ("https://me:s3cret@h/v1", Some("Basic bWU6czNjcmV0")),
        ("https://me@h/v1", Some("Basic bWU6")),
        ("https://:pw@h/v1", Some("Basic OnB3")),
        ("https://a%20b:p%40ss@h/v1", Some("Basic YSBiOnBAc3M=")),
        ("https://h/v1", None),
    ];
    for (url, expected) in cases {
        let (bare, header) = request::split_user_info(&Url::parse(url).unwrap());
        assert_eq!(bare.as_str(), "https://h/v1", "{url}");
        assert_eq!(header.as_deref(), expected, "{url}");
    }
}

#[test]
fn base_urls_keep_their_path_and_refuse_control_characters() {
    let url = request::parse_base_url("https://h/prefix/").unwrap();
    let endpoint = request::endpoint(&url, "/x", &[]).unwrap();
    assert_eq!(endpoint.as_str(), "https://h/prefix/x");
    assert!(matches!(
        request::parse_base_url("https://h/a\tb"),
        Err(BuildError::InvalidBaseUrl { .. })
    ));
    assert_eq!(
        request::without_password("https://me:s3cret@h:8/p?q"),
        "https://me:[redacted]@h:8/p?q"
    );
    assert_eq!(request::without_password("https://h/p@q"), "https://h/p@q");
    // A refused base URL's query is not echoed: it may hold a secret.
    match request::parse_base_url("https://me:pw@h/p?token=s3cret#f") {
        Err(BuildError::InvalidBaseUrl { url, .. }) => {
            assert_eq!(url, "https://me:[redacted]@h/p?[redacted]");
        }
        other => panic!("expected InvalidBaseUrl, got {other:?}"),
    }
}

// --- Credentials -------------------------------------------------------------------------

#[test]
fn basic_credentials_are_rfc_7617_base64() {
    assert_eq!(
        request::basic_credentials("Aladdin", "open sesame"),
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    );
    assert_eq!(request::basic_credentials("a", ""), "Basic YTo=");
    assert_eq!(request::basic_credentials("ab", ""), "Basic YWI6");
}

#[test]
fn credentials_that_cannot_be_sent_are_named_not_shown() {
    for (value, why) in [
        ("a\nb", "line break"),
        ("a\0b", "0x00"),
        ("é", "non-ASCII"),
        ("", "empty"),
    ] {
        match request::check_header_credential("the token", value) {
            Err(BuildError::InvalidCredential { credential, reason }) => {
                assert_eq!(credential, "the token");
                assert!(reason.contains(why), "{value:?}: {reason}");
            }
            other => panic!("{value:?}: {other:?}"),
        }
    }
    assert!(request::check_header_credential("t", "Bearer-ok_1.2~").is_ok());
    assert!(request::check_cookie_credential("c", "a;b").is_err());
    assert!(request::check_basic_credentials("u", "a:b", "p", "x").is_err());
    assert!(request::check_basic_credentials("u", "ä", "p", "ö").is_ok());
}

// --- Redaction and previews ---------------------------------------------------------------

fn secrets(values: &[&str]) -> Arc<Secrets> {
    let mut secrets = Secrets::default();
    for value in values {
        secrets.add(value);
    }
    Arc::new(secrets)
}

#[test]
fn secrets_are_redacted_in_every_spelling_and_short_ones_are_not_searched() {
    let secrets = secrets(&["p@ss w/rd\"", "ab"]);
    let text =
        br#"raw p@ss w/rd" json p@ss w/rd\" form p%40ss+w%2Frd%22 path p%40ss%20w%2Frd%22 ab"#;
    let redacted = String::from_utf8(secrets.redact(text).into_owned()).unwrap();
    assert_eq!(
        redacted,
        "raw [redacted] json [redacted] form [redacted] path [redacted] ab"
    );
    assert!(!secrets.occur_in(b"nothing here"));
    // `\/` for `/` and lowercase hex are spellings too; other JSON escapes are caught in
    // the decoded strings.
    let body = br#"{"a":"p@ss w\/rd\"","b":"p%40ss+w%2frd%22","c":"p\u0040ss w/rd\""}"#;
    let redacted = String::from_utf8(secrets.redact_body(body)).unwrap();
    assert!(!redacted.contains("ss w"), "{redacted}");
    assert!(!redacted.contains("%40ss"), "{redacted}");
    assert_eq!(redacted.matches("[redacted]").count(), 3, "{redacted}");
}

#[test]
fn body_previews_are_cut_at_1_kib_and_redacted_across_the_cut() {
    let secrets = secrets(&["TOPSECRET"]);
    // The secret straddles the 1 KiB cut: it must not leave a prefix behind.
    let mut body = "x".repeat(1020).into_bytes();
    body.extend_from_slice(b"TOPSECRET and more");
    body.extend(std::iter::repeat_n(b'y', 5000));
    let response = RawResponse::received(
        StatusCode::BAD_REQUEST,
        HeaderMap::new(),
        Bytes::from(body.clone()),
        &secrets,
        None,
    );
    let debug = format!("{response:?}");
    assert!(!debug.contains("TOPS"), "{debug}");
    assert!(
        debug.contains(&format!("({} bytes in all)", body.len())),
        "{debug}"
    );
    assert!(debug.len() < 1300, "{} bytes", debug.len());
    let error: Error<String> = Error::UnexpectedStatus(response);
    let display = error.to_string();
    assert!(
        display.starts_with("undocumented status 400 Bad Request: xxx"),
        "{display}"
    );
    assert!(!display.contains("TOPS"));
}

#[test]
fn headers_that_carry_a_secret_under_any_name_are_redacted_in_debug() {
    let secrets = secrets(&["tok-123456"]);
    let mut headers = HeaderMap::new();
    headers.insert("x-echo", HeaderValue::from_static("Bearer tok-123456"));
    headers.insert("x-fine", HeaderValue::from_static("visible"));
    let response = RawResponse::received(
        StatusCode::OK,
        headers,
        Bytes::new(),
        &secrets,
        Some("x-fine"),
    );
    let debug = format!("{response:?}");
    assert!(debug.contains(r#""x-echo": [redacted]"#), "{debug}");
    assert!(debug.contains(r#""x-fine": "visible""#), "{debug}");
    assert_eq!(response.request_id(), Some("visible"));
}

// --- Pagination cursor --------------------------------------------------------------------

async fn collect(
    first_page: i64,
    page_size: Option<u64>,
    pages: Vec<(Vec<u32>, Option<u64>)>,
) -> (Vec<u32>, Vec<i64>) {
    use futures_util::StreamExt as _;
    let fetched = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = Arc::clone(&fetched);
    let stream = items::<u32, String, _, _>(first_page, page_size, move |page| {
        log.lock().unwrap().push(page);
        let (items, total) = pages
            .get(usize::try_from(page - first_page).unwrap())
            .cloned()
            .unwrap_or_default();
        async move { Ok(Page { items, total }) }
    });
    let values: Vec<u32> = stream.map(|item| item.unwrap()).collect().await;
    let pages = fetched.lock().unwrap().clone();
    (values, pages)
}

#[tokio::test]
async fn the_cursor_stops_at_the_total_or_an_empty_page() {
    // Stops at the total: page 3 is never asked for.
    let (values, pages) = collect(
        1,
        Some(2),
        vec![(vec![1, 2], Some(4)), (vec![3, 4], Some(4))],
    )
    .await;
    assert_eq!(values, [1, 2, 3, 4]);
    assert_eq!(pages, [1, 2]);
    // Without a total: stops after the first empty page.
    let (values, pages) = collect(
        1,
        None,
        vec![(vec![1], None), (vec![2], None), (vec![], None)],
    )
    .await;
    assert_eq!(values, [1, 2]);
    assert_eq!(pages, [1, 2, 3]);
    // Starting at page 3 of size 2, the 4 skipped items count towards the total of 5.
    let (values, pages) = collect(3, Some(2), vec![(vec![5], Some(5))]).await;
    assert_eq!(values, [5]);
    assert_eq!(pages, [3]);
}

#[tokio::test]
async fn the_cursor_yields_an_error_and_stops() {
    use futures_util::StreamExt as _;
    let stream = items::<u32, String, _, _>(1, None, |page| async move {
        if page == 1 {
            Ok(Page {
                items: vec![1],
                total: None,
            })
        } else {
            Err(Error::UnexpectedStatus(RawResponse::new(
                StatusCode::BAD_GATEWAY,
                HeaderMap::new(),
                "",
            )))
        }
    });
    let results: Vec<Result<u32, Error<String>>> = stream.collect().await;
    assert_eq!(results.len(), 2);
    assert!(matches!(results[0], Ok(1)));
    assert_eq!(
        results[1].as_ref().unwrap_err().status(),
        Some(StatusCode::BAD_GATEWAY)
    );
}

// --- Enum impls ---------------------------------------------------------------------------

/// A string enum as the generator writes one.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Ready,
    Other(String),
}

crate::enum_impls::string_enum!(Phase, Other, [Ready = "Ready"]);

/// An integer enum as the generator writes one.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Level {
    One,
    MinusOne,
    Other(i64),
}

crate::enum_impls::integer_enum!(Level, Other, [One = 1, MinusOne = -1]);

#[test]
fn enums_round_trip_known_and_unknown_values() {
    assert_eq!(
        serde_json::from_str::<Phase>(r#""Ready""#).unwrap(),
        Phase::Ready
    );
    let unknown: Phase = serde_json::from_str(r#""Hibernating""#).unwrap();
    assert_eq!(unknown, Phase::Other("Hibernating".to_string()));
    assert_eq!(serde_json::to_string(&unknown).unwrap(), r#""Hibernating""#);
    assert_eq!("Ready".parse::<Phase>().unwrap(), Phase::Ready);
    assert_eq!(Phase::from("x").to_string(), "x");
    assert_eq!(serde_json::from_str::<Level>("1").unwrap(), Level::One);
    assert_eq!(serde_json::to_string(&Level::Other(7)).unwrap(), "7");
    assert_eq!(Level::One.to_string(), "1");
    assert_eq!(
        serde_json::from_str::<Level>("-1").unwrap(),
        Level::MinusOne
    );
}

#[test]
fn enum_validation_refuses_the_catch_all_naming_the_allowed_values() {
    use crate::validation::{FieldPath, Rule, Validate};
    let root = FieldPath::root("body");
    assert!(Phase::Ready.validate_at(&root).is_ok());
    let error = Phase::Other("Hibernating".into())
        .validate_at(&root)
        .unwrap_err();
    assert_eq!(error.rule, Rule::Enum(&["Ready"]));
    assert_eq!(error.value, r#""Hibernating""#);
    let error = Level::Other(7).validate_at(&root).unwrap_err();
    assert_eq!(error.rule, Rule::Enum(&["1", "-1"]));
    assert_eq!(error.value, "7");
}

#[test]
fn tagged_union_members_get_their_tag_written_back_unless_they_hold_it() {
    #[derive(serde::Serialize)]
    struct Untagged {
        ip: &'static str,
    }
    #[derive(serde::Serialize)]
    struct HoldsTag {
        kind: &'static str,
    }
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::new(&mut out);
    crate::enum_impls::serialize_tagged(
        &mut serializer,
        "type",
        "explicit",
        &Untagged { ip: "::1" },
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        r#"{"ip":"::1","type":"explicit"}"#
    );

    let value = serde_json::to_value(Wrap(|serializer| {
        crate::enum_impls::serialize_tagged(
            serializer,
            "kind",
            "circle",
            &HoldsTag { kind: "disc" },
        )
    }))
    .unwrap();
    assert_eq!(
        value,
        serde_json::json!({"kind": "disc"}),
        "the member's own tag wins"
    );

    struct Wrap<F>(F);
    impl<F> serde::Serialize for Wrap<F>
    where
        F: Fn(serde_json::value::Serializer) -> Result<serde_json::Value, serde_json::Error>,
    {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let value =
                (self.0)(serde_json::value::Serializer).map_err(serde::ser::Error::custom)?;
            serde::Serialize::serialize(&value, serializer)
        }
    }
}

#[test]
fn tagged_union_json_is_read_whole_with_its_tag() {
    let mut deserializer = serde_json::Deserializer::from_str(r#"{"type":"auto","pool":"p"}"#);
    let (tag, value) = crate::enum_impls::read_tagged(&mut deserializer, "type").unwrap();
    assert_eq!(tag.as_deref(), Some("auto"));
    assert_eq!(value, serde_json::json!({"type": "auto", "pool": "p"}));

    let mut deserializer = serde_json::Deserializer::from_str(r#"{"type":7}"#);
    let (tag, _) = crate::enum_impls::read_tagged(&mut deserializer, "type").unwrap();
    assert_eq!(tag, None, "a tag that is not a string selects no member");

    #[derive(Debug, serde::Deserialize)]
    struct Member {
        #[allow(dead_code)]
        pool: String,
    }
    let error = crate::enum_impls::tagged_member::<Member, serde_json::Error>(
        serde_json::json!({"type": "auto"}),
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("missing field `pool`"),
        "{error}"
    );
}

#[test]
fn integer_bounds_are_compared_exactly_and_shown_as_written() {
    use crate::validation::{self, FieldPath, Limit, Rule};
    let field = FieldPath::root("body.seed");
    // i64::MAX - 1 and i64::MAX are the same f64; as integers they are not.
    assert!(validation::maximum(&(i64::MAX - 1), &field, i64::MAX - 1, false).is_ok());
    let error = validation::maximum(&i64::MAX, &field, i64::MAX - 1, false).unwrap_err();
    assert_eq!(
        error.rule,
        Rule::Maximum {
            limit: Limit::Integer(i64::MAX - 1),
            exclusive: false
        }
    );
    assert_eq!(error.rule.to_string(), "maximum 9223372036854775806");
    assert!(
        validation::minimum(&u64::MAX, &field, i64::MAX, true).is_ok(),
        "u64 beyond i64 compares exactly"
    );
    assert!(validation::minimum(&0.5f64, &field, 1i64, false).is_err());
    assert!(
        validation::minimum(&f64::NAN, &field, 0.0f64, false).is_err(),
        "NaN meets no bound"
    );
    assert!(validation::maximum(&2.5f64, &field, 2.5f64, true).is_err());
}

#[test]
fn base64_bytes_are_standard_padded_base64_in_json_and_decode_leniently() {
    use crate::base64_bytes::Base64Bytes;
    let bytes = Base64Bytes::from(&b"\xfb\xff hello"[..]);
    assert_eq!(serde_json::to_string(&bytes).unwrap(), r#""+/8gaGVsbG8=""#);
    for sent in [r#""+/8gaGVsbG8=""#, r#""+/8gaGVsbG8""#, r#""-_8gaGVsbG8=""#] {
        let decoded: Base64Bytes = serde_json::from_str(sent).unwrap();
        assert_eq!(&*decoded, b"\xfb\xff hello", "{sent}");
    }
    let error = serde_json::from_str::<Base64Bytes>(r#""not base64!""#).unwrap_err();
    assert!(error.to_string().starts_with("invalid base64:"), "{error}");
    assert_eq!(format!("{bytes:?}"), r#"Base64Bytes("+/8gaGVsbG8=")"#);
}

#[test]
fn declared_response_headers_parse_as_their_types_and_name_what_is_wrong() {
    use crate::response::{optional_header, required_header, HeaderError};
    let mut headers = HeaderMap::new();
    headers.insert("x-rate-limit-remaining", HeaderValue::from_static(" 42 "));
    headers.insert("x-flag", HeaderValue::from_static("yes"));
    assert_eq!(
        required_header::<i64>(&headers, "X-Rate-Limit-Remaining"),
        Ok(42)
    );
    assert_eq!(optional_header::<i64>(&headers, "X-Missing"), Ok(None));
    assert_eq!(
        required_header::<i64>(&headers, "X-Missing"),
        Err(HeaderError {
            name: "X-Missing",
            reason: "is missing".to_string()
        })
    );
    let error = required_header::<bool>(&headers, "X-Flag").unwrap_err();
    assert_eq!(
        error.to_string(),
        "header `X-Flag` does not parse: provided string was not `true` or `false`"
    );
}

#[test]
fn a_file_part_shows_its_size_not_its_bytes() {
    let file = crate::file_part::FilePart::new(vec![7u8; 3]).file_name("a.bin");
    assert_eq!(
        format!("{file:?}"),
        r#"FilePart { bytes: 3 bytes, file_name: Some("a.bin"), content_type: None }"#
    );
    assert!(file.part("upload", "not a media type").is_err());
    assert!(file.part("upload", "image/png").is_ok());
}

#[test]
fn an_empty_success_body_is_nothing_not_broken_json() {
    let empty = || RawResponse::new(StatusCode::OK, HeaderMap::new(), Bytes::new());
    let nothing: Option<serde_json::Value> = empty().json::<_, ()>().unwrap();
    assert_eq!(nothing, None);
    let value: serde_json::Value = empty().json::<_, ()>().unwrap();
    assert_eq!(value, serde_json::Value::Null);
    #[derive(Debug, serde::Deserialize)]
    struct Thing {
        #[allow(dead_code)]
        id: u32,
    }
    let error = empty().json::<Thing, ()>().unwrap_err();
    assert!(matches!(error, Error::InvalidBody { .. }), "{error:?}");
}

#[test]
fn form_bodies_repeat_array_keys_and_leave_out_nulls() {
    let body = serde_json::json!({"name": "a b", "list": ["x", "y"], "gone": null, "n": 2, "meta": {"k": 1}});
    // Key order is serde_json's (sorted, or insertion order with `preserve_order`).
    let mut pairs = request::form_pairs(&body).unwrap();
    pairs.sort();
    let expected: Vec<(String, String)> = [
        ("list", "x"),
        ("list", "y"),
        ("meta", r#"{"k":1}"#),
        ("n", "2"),
        ("name", "a b"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
    .collect();
    assert_eq!(pairs, expected);
    assert!(request::form_pairs(&serde_json::json!([1])).is_err());
}

#[test]
fn date_time_headers_take_rfc_3339_and_http_dates() {
    use crate::date_header::{optional_date_header, required_date_header};
    let mut headers = HeaderMap::new();
    headers.insert(
        "last-modified",
        HeaderValue::from_static("Tue, 15 Nov 1994 08:12:31 GMT"),
    );
    headers.insert(
        "x-expires",
        HeaderValue::from_static("2026-11-30T12:00:00Z"),
    );
    headers.insert("x-bad", HeaderValue::from_static("yesterday"));
    let modified = required_date_header(&headers, "Last-Modified").unwrap();
    assert_eq!(modified.to_rfc3339(), "1994-11-15T08:12:31+00:00");
    let expires = optional_date_header(&headers, "X-Expires")
        .unwrap()
        .unwrap();
    assert_eq!(expires.to_rfc3339(), "2026-11-30T12:00:00+00:00");
    assert_eq!(optional_date_header(&headers, "X-None").unwrap(), None);
    let error = required_date_header(&headers, "X-Bad").unwrap_err();
    assert_eq!(
        error.to_string(),
        "header `X-Bad` is neither an RFC 3339 date-time nor an HTTP date"
    );
}

// --- Command-line tool -------------------------------------------------------------------

#[cfg(feature = "cli")]
mod cli {
    use bytes::Bytes;
    use reqwest::header::HeaderMap;
    use reqwest::StatusCode;
    use serde_json::json;

    use crate::cli::{self, Failure};
    use crate::error::{Error, RawResponse};

    #[derive(Debug, Clone, PartialEq, serde::Deserialize)]
    struct Body {
        name: String,
        replicas: Option<i64>,
        tags: Option<Vec<String>>,
        paused: Option<bool>,
    }

    fn command() -> clap::Command {
        cli::root("tool", "1.0.0", "A tool.", "TOOL_BASE_URL")
            .arg(cli::secret("token", "TOOL_TOKEN", "The token"))
            .subcommand(
                cli::operation("make", "Make one", "Makes one.")
                    .arg(cli::arg::<i64>("page", "Page", &[]).required(true))
                    .arg(cli::arg::<String>("phase", "Phase", &["Ready", "Paused"]))
                    .arg(cli::property::<String>("name", "Name", &[]))
                    .arg(cli::property::<i64>("replicas", "Replicas", &[]))
                    .arg(cli::property::<bool>("paused", "Paused", &[]))
                    .arg(
                        cli::property::<String>("tags", "Tags", &[])
                            .action(clap::ArgAction::Append),
                    )
                    .arg(cli::body_flag("The body")),
            )
    }

    const PROPERTIES: &[(&str, &str, bool)] = &[
        ("name", "name", false),
        ("replicas", "replicas", false),
        ("paused", "paused", false),
        ("tags", "tags", true),
    ];

    fn parse(args: &[&str]) -> Result<clap::ArgMatches, clap::Error> {
        command().try_get_matches_from(args.iter().copied())
    }

    #[test]
    fn the_command_tree_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn flags_are_typed_and_build_the_body() {
        let matches = parse(&[
            "tool",
            "make",
            "--page",
            "2",
            "--phase",
            "Ready",
            "--name",
            "dev",
            "--replicas",
            "1",
            "--paused",
            "--tags",
            "a",
            "--tags",
            "b",
        ])
        .unwrap();
        let (_, operation) = matches.subcommand().unwrap();
        assert_eq!(cli::required::<i64>(operation, "page"), Ok(2));
        assert_eq!(
            cli::get::<String>(operation, "phase").as_deref(),
            Some("Ready")
        );
        let body: Option<Body> = cli::body(operation, PROPERTIES).unwrap();
        assert_eq!(
            body,
            Some(Body {
                name: "dev".into(),
                replicas: Some(1),
                tags: Some(vec!["a".into(), "b".into()]),
                paused: Some(true),
            })
        );
    }

    #[test]
    fn bad_values_are_usage_errors_naming_the_flag() {
        let error = parse(&["tool", "make", "--page", "two"]).unwrap_err();
        assert_eq!(error.exit_code(), 2);
        let text = error.to_string();
        assert!(
            text.contains("--page") && text.contains("expected i64"),
            "{text}"
        );
        let error = parse(&["tool", "make", "--page", "1", "--phase", "Gone"]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("'Gone' is not one of: Ready, Paused"),
            "{error}"
        );
        let error = parse(&["tool", "make"]).unwrap_err();
        assert_eq!(error.exit_code(), 2);
    }

    #[test]
    fn nothing_given_is_no_body_and_a_missing_required_property_is_named() {
        let matches = parse(&["tool", "make", "--page", "1"]).unwrap();
        let (_, operation) = matches.subcommand().unwrap();
        assert_eq!(cli::body::<Body>(operation, PROPERTIES), Ok(None));
        let error = cli::required_body::<Body>(operation, PROPERTIES).unwrap_err();
        assert_eq!(error.code, 2);
        assert!(
            error.message.contains("missing field `name`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_body_file_is_read_and_flags_override_it() {
        let path = std::env::temp_dir().join(format!("cli-body-{}.json", std::process::id()));
        std::fs::write(&path, r#"{"name": "from-file", "replicas": 0}"#).unwrap();
        let matches = parse(&[
            "tool",
            "make",
            "--page",
            "1",
            "--body",
            path.to_str().unwrap(),
            "--replicas",
            "1",
        ])
        .unwrap();
        let (_, operation) = matches.subcommand().unwrap();
        let body: Result<Body, _> = cli::required_body(operation, PROPERTIES);
        let _ = std::fs::remove_file(&path);
        let body = body.unwrap();
        assert_eq!((body.name.as_str(), body.replicas), ("from-file", Some(1)));
        let missing = parse(&[
            "tool",
            "make",
            "--page",
            "1",
            "--body",
            "/nonexistent/body.json",
        ])
        .unwrap();
        let (_, operation) = missing.subcommand().unwrap();
        let error = cli::body::<Body>(operation, PROPERTIES).unwrap_err();
        assert_eq!(error.code, 2);
        assert!(
            error
                .message
                .starts_with("cannot read --body /nonexistent/body.json"),
            "{}",
            error.message
        );
    }

    #[test]
    fn values_are_text_first_then_json() {
        assert_eq!(cli::parse_value::<String>("123"), Ok("123".to_string()));
        assert_eq!(cli::parse_value::<i64>("123"), Ok(123));
        assert_eq!(cli::parse_value::<bool>("false"), Ok(false));
        assert_eq!(cli::parse_value::<Vec<i64>>("[1, 2]"), Ok(vec![1, 2]));
        assert_eq!(
            cli::parse_value::<uuid::Uuid>("00000000-0000-0000-0000-000000000001")
                .map(|id| id.as_u128()),
            Ok(1)
        );
        let error = cli::parse_value::<Vec<i64>>("[1, ").unwrap_err();
        assert!(error.contains("EOF"), "{error}");
    }

    #[test]
    fn the_secret_is_never_shown_in_help() {
        std::env::set_var("TOOL_TOKEN", "s3cret-token-value");
        let help = command().render_long_help().to_string();
        std::env::remove_var("TOOL_TOKEN");
        assert!(help.contains("TOOL_TOKEN"), "{help}");
        assert!(!help.contains("s3cret"), "{help}");
        assert!(help.contains("Exit codes:"), "{help}");
    }

    #[test]
    fn lists_print_as_tables() {
        let page = json!({
            "items": [
                {"id": "a", "phase": "Ready", "replicas": 1, "env": [{"name": "K", "value": "V"}]},
                {"id": "b", "phase": "Paused", "replicas": 0, "connect_url": null},
            ],
            "total": 2,
        });
        assert_eq!(
            cli::table(&page),
            "connect_url  env                         id  phase   replicas\n\
             \x20            [{\"name\":\"K\",\"value\":\"V\"}]  a   Ready   1\n\
             \x20                                        b   Paused  0\n"
        );
        assert_eq!(
            cli::table(&json!({"id": "a", "note": "x".repeat(50)})),
            format!(
                "property  value\nid        a\nnote      {}...\n",
                "x".repeat(37)
            )
        );
    }

    #[test]
    fn failures_have_distinct_exit_codes_and_words() {
        let response = RawResponse::new(
            StatusCode::NOT_FOUND,
            HeaderMap::new(),
            Bytes::from_static(br#"{"error": "sandbox not found", "details": "id 7"}"#),
        );
        let api: Failure = cli::failure(Error::Api {
            error: "Resource not found (404)",
            response: response.clone(),
        });
        assert_eq!(api.code, 1);
        assert_eq!(
            api.message,
            "Resource not found (404)\n  details: id 7\n  error: sandbox not found"
        );
        let undocumented = cli::failure::<&str>(Error::UnexpectedStatus(RawResponse::new(
            StatusCode::IM_A_TEAPOT,
            HeaderMap::new(),
            Bytes::from_static(b"short and stout"),
        )));
        assert_eq!(
            (undocumented.code, undocumented.message.as_str()),
            (
                1,
                "status 418 I'm a teapot (not documented for this operation)\n  short and stout"
            )
        );
        let invalid = cli::failure::<&str>(Error::Validation(crate::validation::ValidationError {
            field: "body.name".into(),
            rule: crate::validation::Rule::MinLength(1),
            value: String::new(),
        }));
        assert_eq!(invalid.code, 2);
    }

    #[tokio::test]
    async fn an_unreachable_server_is_exit_3() {
        let client = reqwest::Client::new();
        let error = client.get("http://127.0.0.1:9/").send().await.unwrap_err();
        let failure = cli::failure::<&str>(Error::Transport(error));
        assert_eq!(failure.code, 3);
        // The cause reqwest's own message leaves out.
        assert!(
            failure.message.contains("onnection refused"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn a_closed_pipe_ends_the_tool_quietly() {
        let closed = cli::Failure::output(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert_eq!((closed.code, closed.message.as_str()), (0, ""));
        let full = cli::Failure::output(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert_eq!(full.code, 3);
    }

    #[test]
    fn a_failed_wait_is_exit_4_and_a_timeout_exit_3() {
        use crate::wait::WaitError;
        let failed: WaitError<(), &str> = WaitError::Failed {
            state: "Paused".into(),
            resource: (),
        };
        let failed = crate::cli_wait::wait_failure("ready", failed);
        assert_eq!(failed.code, 4);
        assert_eq!(
            failed.message,
            "the resource reached the state \"Paused\", from which it cannot become ready"
        );
        let timed_out: WaitError<(), &str> = WaitError::TimedOut {
            waited: std::time::Duration::from_secs(600),
            last: None,
        };
        let timed_out = crate::cli_wait::wait_failure("ready", timed_out);
        assert_eq!(timed_out.code, 3);
        assert_eq!(
            timed_out.message,
            "gave up waiting until ready after 600 s (--wait-timeout sets how long)"
        );
    }
}
