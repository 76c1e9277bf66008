//! Request values are checked against the spec's constraints before any I/O: each rule
//! is broken once, and the fake server must not see a single request.

use ai_agent_client::types::{
    CreateSandboxRequest, SandboxEgressConfig, SandboxEgressConfigMode, SandboxEgressRule,
    SandboxEgressRuleProtocol, SandboxResources,
};
use ai_agent_client::{Client, Error, Limit, Rule, Validate, ValidationError};
use integration_tests::fake_server::{self, FakeServer, TOKEN};

const ORG: &str = "org-1";
const PROJECT: &str = "project-1";

async fn setup() -> (FakeServer, Client) {
    let server = fake_server::start().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    (server, client)
}

/// Sends a create with `body` and returns its validation error; asserts nothing was sent.
async fn rejected(body: CreateSandboxRequest) -> ValidationError {
    let (server, client) = setup().await;
    let error = client
        .create_sandbox(ORG, PROJECT, body)
        .await
        .expect_err("invalid");
    assert_eq!(server.request_count(), 0, "a request reached the server");
    match error {
        Error::Validation(error) => error,
        other => panic!("not a validation error: {other:?}"),
    }
}

fn expect(error: &ValidationError, field: &str, rule: Rule, value: &str) {
    assert_eq!(
        (error.field.as_str(), &error.rule, error.value.as_str()),
        (field, &rule, value)
    );
}

#[tokio::test]
async fn pattern_dns_label() {
    let error = rejected(CreateSandboxRequest::new("Not_A_Label")).await;
    expect(
        &error,
        "body.name",
        Rule::Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"),
        "\"Not_A_Label\"",
    );
    assert_eq!(
        error.to_string(),
        "`body.name` = \"Not_A_Label\" breaks pattern `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`"
    );
    // A trailing hyphen is refused too (ECMA-262 `$`, no partial match).
    let error = rejected(CreateSandboxRequest::new("ends-with-")).await;
    assert_eq!(error.field, "body.name");
}

#[tokio::test]
async fn pattern_template_id() {
    let body = CreateSandboxRequest::new("ok").with_sandbox_template_id("ubuntu-26");
    let error = rejected(body).await;
    expect(
        &error,
        "body.sandbox_template_id",
        Rule::Pattern("^sb-[a-zA-Z0-9-]+$"),
        "\"ubuntu-26\"",
    );
}

#[tokio::test]
async fn min_length() {
    let error = rejected(CreateSandboxRequest::new("")).await;
    expect(&error, "body.name", Rule::MinLength(1), "\"\"");
}

#[tokio::test]
async fn max_length_counts_characters() {
    let name = "a".repeat(64);
    let error = rejected(CreateSandboxRequest::new(name.clone())).await;
    expect(
        &error,
        "body.name",
        Rule::MaxLength(63),
        &format!("\"{name}\""),
    );
}

#[tokio::test]
async fn minimum_and_maximum() {
    let body =
        CreateSandboxRequest::new("ok").with_resources(SandboxResources::new().with_cpu(0.0));
    let error = rejected(body).await;
    expect(
        &error,
        "body.resources.cpu",
        Rule::Minimum {
            limit: Limit::Number(0.5),
            exclusive: false,
        },
        "0",
    );
    let body =
        CreateSandboxRequest::new("ok").with_resources(SandboxResources::new().with_memory_gb(17));
    let error = rejected(body).await;
    expect(
        &error,
        "body.resources.memory_gb",
        Rule::Maximum {
            limit: Limit::Integer(16),
            exclusive: false,
        },
        "17",
    );
}

#[tokio::test]
async fn multiple_of() {
    let body =
        CreateSandboxRequest::new("ok").with_resources(SandboxResources::new().with_cpu(1.25));
    let error = rejected(body).await;
    expect(&error, "body.resources.cpu", Rule::MultipleOf(0.5), "1.25");
    let body =
        CreateSandboxRequest::new("ok").with_resources(SandboxResources::new().with_disk_gb(15));
    let error = rejected(body).await;
    expect(
        &error,
        "body.resources.disk_gb",
        Rule::MultipleOf(10.0),
        "15",
    );
}

#[tokio::test]
async fn enum_membership_in_nested_arrays() {
    let rule = SandboxEgressRule::new("10.0.0.1")
        .with_protocol(SandboxEgressRuleProtocol::Other("ICMP".to_string()));
    let body = CreateSandboxRequest::new("ok").with_egress(
        SandboxEgressConfig::new()
            .with_mode(SandboxEgressConfigMode::AllowList)
            .with_allow(vec![SandboxEgressRule::new("example.com"), rule]),
    );
    let error = rejected(body).await;
    expect(
        &error,
        "body.egress.allow[1].protocol",
        Rule::Enum(&["TCP", "UDP"]),
        "\"ICMP\"",
    );
}

#[tokio::test]
async fn query_parameters_are_checked() {
    let (server, client) = setup().await;
    let error = client
        .list_sandboxes(ORG, PROJECT)
        .limit(101)
        .await
        .expect_err("limit is at most 100");
    match error {
        Error::Validation(error) => expect(
            &error,
            "query.limit",
            Rule::Maximum {
                limit: Limit::Integer(100),
                exclusive: false,
            },
            "101",
        ),
        other => panic!("{other:?}"),
    }
    let error = client
        .list_sandboxes(ORG, PROJECT)
        .page(0)
        .await
        .expect_err("page >= 1");
    assert!(
        matches!(&error, Error::Validation(error) if error.field == "query.page"),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 0);
}

#[tokio::test]
async fn valid_values_are_sent() {
    let (server, client) = setup().await;
    let body = CreateSandboxRequest::new("a-1")
        .with_sandbox_template_id("sb-ubuntu-26-04-minimal")
        .with_resources(
            SandboxResources::new()
                .with_cpu(1.5)
                .with_disk_gb(20)
                .with_memory_gb(16),
        );
    let created = client
        .create_sandbox(ORG, PROJECT, body)
        .await
        .expect("valid");
    assert_eq!(created.name, "a-1");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn validation_can_be_switched_off_per_client() {
    let server = fake_server::start().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .validate_requests(false)
        .build()
        .unwrap();
    let error = client
        .create_sandbox(ORG, PROJECT, CreateSandboxRequest::new("Not_A_Label"))
        .await
        .expect_err("the server refuses it instead");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(400));
    assert_eq!(server.request_count(), 1);
}

#[test]
fn values_can_be_validated_by_hand() {
    assert!(CreateSandboxRequest::new("fine").validate().is_ok());
    let error = SandboxResources::new()
        .with_disk_gb(110)
        .validate()
        .unwrap_err();
    assert_eq!(error.field, "body.disk_gb");
    assert_eq!(
        error.rule,
        Rule::Maximum {
            limit: Limit::Integer(100),
            exclusive: false
        }
    );
}

/// The sandboxes spec has no `minItems`/`maxItems` or integer enums: the generator's
/// handling of them is checked on a spec that has, in the crate it emits.
#[test]
fn array_sizes_and_integer_enums_are_emitted() {
    let spec = r#"
openapi: 3.0.3
info: { title: T, version: 1.0.0 }
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Thing' }
      responses:
        '204': { description: ok }
components:
  schemas:
    Thing:
      type: object
      required: [tags]
      properties:
        tags:
          type: array
          minItems: 1
          maxItems: 3
          items: { type: string }
        level: { type: integer, enum: [1, 2, 3] }
"#;
    let options = generator::Options {
        crate_name: "thing-client".to_string(),
        spec_label: "thing.yaml".to_string(),
        settings: None,
        strict: false,
        crate_version: None,
    };
    let output = generator::generate_from_str(spec, "thing.yaml", &options).unwrap();
    let constraints = &output.files[std::path::Path::new("src/constraints.rs")];
    let compact: String = constraints.split_whitespace().collect();
    assert!(
        compact.contains(r#"check::items(&self.tags,&field.field("tags"),Some(1),Some(3))?;"#),
        "{constraints}"
    );
    // Integer enums check their membership through the runtime's `integer_enum!`, which
    // lists the values once for conversion and validation alike.
    let types: String = output.files[std::path::Path::new("src/types.rs")]
        .split_whitespace()
        .collect();
    assert!(
        types.contains("crate::enum_impls::integer_enum!(ThingLevel,Other,[V1=1,V2=2,V3=3]);"),
        "{types}"
    );
    let operations = &output.files[std::path::Path::new("src/operations.rs")];
    assert!(
        operations.contains("FieldPath::root(\"body\")"),
        "{operations}"
    );
}
