//! The `ai-agent` command-line tool (ai-agent-client's feature `cli`) run as a program
//! against the in-process fake API: every operation of the sandbox lifecycle with
//! `--wait` and `--all`, each exit code, and the token never printed.

use std::process::{Command, Output};

use integration_tests::fake_server::{self, FakeServer, FORBIDDEN_ORG, PAUSES_ON_READ_NAME, TOKEN};
use serde_json::Value;

const ORG: &str = "org-1";
const PROJECT: &str = "project-1";

/// Runs the tool with `args` (after `--base-url` of `server`, when given) and no
/// `AI_AGENT_*` variable but those set here.
fn run(base_url: &str, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_ai-agent-cli-test"))
        .env_remove("AI_AGENT_TOKEN")
        .env_remove("AI_AGENT_BASE_URL")
        .args(["--base-url", base_url, "--token", TOKEN])
        .args(args)
        .output()
        .expect("run the ai-agent binary");
    assert_no_token(&output);
    output
}

fn assert_no_token(output: &Output) {
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!printed.contains(TOKEN), "the token was printed: {printed}");
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("an exit code, not a signal")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The JSON the tool printed, after checking it succeeded.
fn json(output: &Output) -> Value {
    assert_eq!(code(output), 0, "stderr: {}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

fn sandbox_args<'a>(operation: &'a str, id: &'a str) -> Vec<&'a str> {
    vec![
        "sandboxes",
        operation,
        "--org-id",
        ORG,
        "--project-id",
        PROJECT,
        "--sandbox-id",
        id,
    ]
}

async fn server() -> FakeServer {
    fake_server::start().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_lifecycle_runs_from_the_command_line() {
    let server = server().await;
    let url = server.base_url();
    let base = [
        "sandboxes",
        "create",
        "--org-id",
        ORG,
        "--project-id",
        PROJECT,
    ];

    // create --wait: the created sandbox, polled until Ready.
    let created = json(&run(
        &url,
        &[&base[..], &["--name", "dev-1", "--wait"]].concat(),
    ));
    assert_eq!(created["name"], "dev-1");
    assert_eq!(created["phase"], "Ready");
    let id = created["id"].as_str().expect("an id").to_string();
    assert!(
        server
            .requests()
            .iter()
            .any(|request| request.method == "GET"
                && request
                    .path_and_query()
                    .ends_with(&format!("/sandboxes/{id}"))),
        "--wait polled getSandbox"
    );

    // create without --wait: as answered (Pending); a body from a file, a flag over it.
    let second = json(&run(&url, &[&base[..], &["--name", "dev-2"]].concat()));
    assert_eq!(
        (second["name"].as_str(), second["phase"].as_str()),
        (Some("dev-2"), Some("Pending"))
    );
    let body = std::env::temp_dir().join(format!("ai-agent-cli-{}.json", std::process::id()));
    std::fs::write(&body, r#"{"name": "from-file", "region": "eu-1"}"#).unwrap();
    let third = run(
        &url,
        &[
            &base[..],
            &["--body", body.to_str().unwrap(), "--name", "dev-3"],
        ]
        .concat(),
    );
    let _ = std::fs::remove_file(&body);
    let third = json(&third);
    assert_eq!(
        (third["name"].as_str(), third["region"].as_str()),
        (Some("dev-3"), Some("eu-1"))
    );

    // list --all, two per page: every sandbox, one JSON item per line, page after page.
    let listed = run(
        &url,
        &[
            "sandboxes",
            "list",
            "--org-id",
            ORG,
            "--project-id",
            PROJECT,
            "--limit",
            "2",
            "--all",
        ],
    );
    assert_eq!(code(&listed), 0, "{}", stderr(&listed));
    let names: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(|line| {
            let item: Value = serde_json::from_str(line).expect("one JSON item per line");
            item["name"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    assert_eq!(names, ["dev-1", "dev-2", "dev-3"]);
    let pages: Vec<String> = server
        .requests()
        .iter()
        .filter(|request| {
            request.method == "GET" && request.path_and_query().contains("/sandboxes?")
        })
        .map(|request| {
            request
                .path_and_query()
                .split('?')
                .nth(1)
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(pages, ["page=1&limit=2", "page=2&limit=2"]);

    // One page as a table: a header and a row per sandbox.
    let table = run(
        &url,
        &[
            "--output",
            "table",
            "sandboxes",
            "list",
            "--org-id",
            ORG,
            "--project-id",
            PROJECT,
        ],
    );
    assert_eq!(code(&table), 0, "{}", stderr(&table));
    let table = String::from_utf8_lossy(&table.stdout).into_owned();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    assert!(
        lines[0].contains("name") && lines[0].contains("phase"),
        "{table}"
    );
    assert!(
        lines[1].contains("dev-1") && lines[1].contains("Ready"),
        "{table}"
    );

    // get.
    let got = json(&run(&url, &sandbox_args("get", &id)));
    assert_eq!(
        (got["id"].as_str(), got["phase"].as_str()),
        (Some(id.as_str()), Some("Ready"))
    );

    // pause --wait (with a body property flag), then resume --wait.
    let paused = json(&run(
        &url,
        &[
            &sandbox_args("pause", &id)[..],
            &["--preserve-memory", "--wait"],
        ]
        .concat(),
    ));
    assert_eq!(paused["phase"], "Paused");
    assert_eq!(
        server.last_pause_body(),
        Some(serde_json::json!({"preserve_memory": true}))
    );
    let resumed = json(&run(
        &url,
        &[&sandbox_args("resume", &id)[..], &["--wait"]].concat(),
    ));
    assert_eq!(resumed["phase"], "Ready");

    // delete --wait: nothing printed, and the sandbox is gone.
    let deleted = run(
        &url,
        &[&sandbox_args("delete", &id)[..], &["--wait"]].concat(),
    );
    assert_eq!(code(&deleted), 0, "{}", stderr(&deleted));
    assert!(deleted.stdout.is_empty());
    let remaining: Vec<String> = server
        .sandboxes(ORG, PROJECT)
        .iter()
        .filter_map(|sandbox| sandbox["name"].as_str().map(str::to_string))
        .collect();
    assert_eq!(remaining, ["dev-2", "dev-3"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_errors_exit_1_with_the_status_and_the_body_in_words() {
    let server = server().await;
    let url = server.base_url();
    let missing = run(
        &url,
        &sandbox_args("get", "00000000-0000-0000-0000-000000000001"),
    );
    assert_eq!(code(&missing), 1);
    let text = stderr(&missing);
    assert!(
        text.starts_with("error: Resource not found (404)\n  error: "),
        "{text}"
    );
    assert!(text.contains("request id: req-"), "{text}");

    let forbidden = run(
        &url,
        &[
            "sandboxes",
            "list",
            "--org-id",
            FORBIDDEN_ORG,
            "--project-id",
            PROJECT,
        ],
    );
    assert_eq!(code(&forbidden), 1);
    assert_eq!(
        stderr(&forbidden).lines().take(2).collect::<Vec<_>>(),
        ["error: Forbidden (403)", "  error: forbidden"]
    );

    // A wrong token from the environment: 401, and neither token is printed.
    let unauthorized = Command::new(env!("CARGO_BIN_EXE_ai-agent-cli-test"))
        .env("AI_AGENT_TOKEN", "wrong-secret-token")
        .env("AI_AGENT_BASE_URL", &url)
        .args([
            "sandboxes",
            "list",
            "--org-id",
            ORG,
            "--project-id",
            PROJECT,
        ])
        .output()
        .unwrap();
    assert_eq!(code(&unauthorized), 1);
    assert!(
        stderr(&unauthorized).starts_with("error: Unauthorized (401)"),
        "{}",
        stderr(&unauthorized)
    );
    assert!(!stderr(&unauthorized).contains("wrong-secret-token"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2_before_anything_is_sent() {
    let server = server().await;
    let url = server.base_url();
    let no_project = run(&url, &["sandboxes", "list", "--org-id", ORG]);
    assert_eq!(code(&no_project), 2);
    assert!(
        stderr(&no_project).contains("--project-id"),
        "{}",
        stderr(&no_project)
    );
    let bad_page = run(
        &url,
        &[
            "sandboxes",
            "list",
            "--org-id",
            ORG,
            "--project-id",
            PROJECT,
            "--page",
            "two",
        ],
    );
    assert_eq!(code(&bad_page), 2);
    assert!(
        stderr(&bad_page).contains("invalid value for '--page <INTEGER>'"),
        "{}",
        stderr(&bad_page)
    );
    let bad_id = run(&url, &sandbox_args("get", "not-a-uuid"));
    assert_eq!(code(&bad_id), 2);
    // The body's required `name` is named; a name breaking the spec's pattern is refused.
    let no_name = run(
        &url,
        &[
            "sandboxes",
            "create",
            "--org-id",
            ORG,
            "--project-id",
            PROJECT,
        ],
    );
    assert_eq!(code(&no_name), 2);
    assert!(
        stderr(&no_name).contains("missing field `name`"),
        "{}",
        stderr(&no_name)
    );
    let bad_name = run(
        &url,
        &[
            "sandboxes",
            "create",
            "--org-id",
            ORG,
            "--project-id",
            PROJECT,
            "--name",
            "Not_DNS",
        ],
    );
    assert_eq!(code(&bad_name), 2, "{}", stderr(&bad_name));
    assert_eq!(server.request_count(), 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_exits_3() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let output = run(
        &url,
        &[
            "sandboxes",
            "list",
            "--org-id",
            ORG,
            "--project-id",
            PROJECT,
        ],
    );
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    // reqwest's message, and the cause it leaves out.
    assert!(
        stderr(&output).starts_with("error: request failed: error sending request")
            && stderr(&output).contains("onnection refused"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_that_cannot_succeed_exits_4() {
    let server = server().await;
    let output = run(
        &server.base_url(),
        &[
            "sandboxes",
            "create",
            "--org-id",
            ORG,
            "--project-id",
            PROJECT,
            "--name",
            PAUSES_ON_READ_NAME,
            "--wait",
        ],
    );
    assert_eq!(code(&output), 4, "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "error: the resource reached the state \"Paused\", from which it cannot become ready\n"
    );
    // The create took effect: its sandbox is printed, so its id is not lost.
    let created: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    assert_eq!(created["name"], PAUSES_ON_READ_NAME);
    assert!(
        created["id"].as_str().is_some_and(|id| id.len() == 36),
        "{created}"
    );
}

#[test]
fn the_help_of_a_command_is_readable() {
    let output = Command::new(env!("CARGO_BIN_EXE_ai-agent-cli-test"))
        .env_remove("AI_AGENT_TOKEN")
        .env_remove("AI_AGENT_BASE_URL")
        .args(["sandboxes", "list", "--help"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 0);
    insta::assert_snapshot!(
        "ai_agent_sandboxes_list_help",
        String::from_utf8_lossy(&output.stdout)
    );
}
