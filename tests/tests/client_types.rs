//! The generated types keep the spec's JSON shapes: optional vs nullable, defaults,
//! enums with unknown values, formats. Pure serde, no server.

use ai_agent_client::types::{
    CreateSandboxRequest, MetricSeries, PauseSandboxRequest, Sandbox, SandboxEgressConfig,
    SandboxEgressConfigMode, SandboxEgressRuleProtocol, SandboxPhase, SandboxResources,
};
use serde_json::json;

fn sandbox_json() -> serde_json::Value {
    json!({
        "id": "6f1c1f1e-7d33-4a5b-9d8e-0c1b2a3d4e5f",
        "org_id": "org", "project_id": "proj", "name": "dev-box", "region": "in-mum-1",
        "image": "ubuntu:24.04", "phase": "Pending", "replicas": 1,
        "connect_url": null,
        "egress": null,
        "created_at": "2026-11-29T10:00:00Z", "updated_at": "2026-11-29T10:00:01.5Z"
    })
}

#[test]
fn optional_and_nullable_stay_distinct_and_round_trip() {
    let sandbox: Sandbox = serde_json::from_value(sandbox_json()).expect("valid sandbox");
    assert_eq!(sandbox.connect_url, Some(None), "present and null");
    assert_eq!(
        sandbox.egress,
        Some(None),
        "allOf [$ref] + nullable: present and null"
    );
    assert_eq!(sandbox.created_by, None, "absent");
    assert_eq!(sandbox.command, None);
    assert_eq!(sandbox.phase, SandboxPhase::Pending);
    assert_eq!(
        sandbox.id.to_string(),
        "6f1c1f1e-7d33-4a5b-9d8e-0c1b2a3d4e5f"
    );
    assert_eq!(
        sandbox.updated_at.timestamp_millis() - sandbox.created_at.timestamp_millis(),
        1500
    );

    let back = serde_json::to_value(&sandbox).expect("serialises");
    assert_eq!(back["connect_url"], serde_json::Value::Null);
    assert!(back
        .as_object()
        .is_some_and(|object| object.contains_key("connect_url")));
    assert!(back
        .as_object()
        .is_some_and(|object| !object.contains_key("created_by")));
    let reparsed: Sandbox = serde_json::from_value(back).expect("round trip");
    assert_eq!(reparsed, sandbox);
}

#[test]
fn nullable_reference_holds_the_named_type() {
    let mut value = sandbox_json();
    value["egress"] = json!({"allow": [{"host": "10.0.0.0/8", "protocol": "TCP", "ports": [443]}]});
    let sandbox: Sandbox = serde_json::from_value(value).expect("valid sandbox");
    let egress: SandboxEgressConfig = sandbox.egress.flatten().expect("egress set");
    assert_eq!(
        egress.mode,
        SandboxEgressConfigMode::DenyAll,
        "spec default fills the absent mode"
    );
    assert!(!egress.allow_internet, "spec default false");
    let rules = egress.allow.expect("allow list");
    assert_eq!(rules[0].host, "10.0.0.0/8");
    assert_eq!(rules[0].protocol, Some(SandboxEgressRuleProtocol::Tcp));
    assert_eq!(rules[0].ports, Some(vec![443]));
}

#[test]
fn defaults_apply_when_absent_and_are_sent_explicitly() {
    let pause: PauseSandboxRequest = serde_json::from_value(json!({})).expect("empty object");
    assert!(pause.preserve_memory, "spec default true");
    assert_eq!(PauseSandboxRequest::default(), pause);
    assert_eq!(
        serde_json::to_value(PauseSandboxRequest::default().with_preserve_memory(false))
            .expect("serialises"),
        json!({"preserve_memory": false})
    );
    assert_eq!(
        SandboxEgressConfig::default().mode,
        SandboxEgressConfigMode::DenyAll
    );
}

#[test]
fn unknown_enum_values_round_trip_byte_for_byte() {
    let phase: SandboxPhase = serde_json::from_str("\"Hibernating\"").expect("any string parses");
    assert_eq!(phase, SandboxPhase::Other("Hibernating".to_string()));
    assert_eq!(
        serde_json::to_string(&phase).expect("serialises"),
        "\"Hibernating\""
    );
    // `Unknown` is a value of the spec, not the catch-all.
    let unknown: SandboxPhase = serde_json::from_str("\"Unknown\"").expect("parses");
    assert_eq!(unknown, SandboxPhase::Unknown);
    assert_eq!(unknown.as_str(), "Unknown");
    for value in [
        "Pending", "Ready", "NotReady", "Unknown", "Paused", "", "ready",
    ] {
        let json = serde_json::to_string(value).expect("string");
        let parsed: SandboxPhase = serde_json::from_str(&json).expect("parses");
        assert_eq!(serde_json::to_string(&parsed).expect("serialises"), json);
        assert_eq!(parsed.to_string(), value);
    }
    assert_eq!(
        SandboxPhase::from("ready"),
        SandboxPhase::Other("ready".to_string()),
        "case matters"
    );
    assert_eq!(
        serde_json::to_string(&SandboxEgressConfigMode::AllowList).expect("ok"),
        "\"allow_list\""
    );
}

#[test]
fn request_bodies_send_only_what_was_set() {
    let minimal = CreateSandboxRequest::new("dev-box");
    assert_eq!(
        serde_json::to_value(&minimal).expect("serialises"),
        json!({"name": "dev-box"})
    );
    let full = CreateSandboxRequest::new("dev-box")
        .with_region("in-mum-1")
        .with_from_snapshot(None)
        .with_resources(
            SandboxResources::default()
                .with_cpu(1.5)
                .with_memory_gb(4)
                .with_disk_gb(20),
        );
    assert_eq!(
        serde_json::to_value(&full).expect("serialises"),
        json!({
            "name": "dev-box", "region": "in-mum-1", "from_snapshot": null,
            "resources": {"cpu": 1.5, "memory_gb": 4, "disk_gb": 20}
        })
    );
}

#[test]
fn arrays_of_arrays_of_numbers() {
    let series: MetricSeries = serde_json::from_value(
        json!({"metric": "cpu_usage_cores", "points": [[1700000000, 0.25], [1700000060.0, 1]]}),
    )
    .expect("parses");
    assert_eq!(
        series.points,
        vec![vec![1_700_000_000.0, 0.25], vec![1_700_000_060.0, 1.0]]
    );
    assert_eq!(series.unit, None);
}
