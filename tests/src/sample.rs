//! Request values the tests share: what the end-to-end tests send to the fake API is what
//! the conformance check sends to Prism.

use ai_agent_client::types::{
    CreateSandboxRequest, EnvVar, SandboxEgressConfig, SandboxEgressConfigMode, SandboxEgressRule,
    SandboxEgressRuleProtocol, SandboxResources,
};

/// A create request that sets every property the spec defines.
pub fn full_create_request() -> CreateSandboxRequest {
    CreateSandboxRequest::new("dev-box")
        .with_region("eu-west-1")
        .with_env(vec![EnvVar::new("GREETING", "hello world")])
        .with_resources(
            SandboxResources::default()
                .with_cpu(0.5)
                .with_memory_gb(2)
                .with_disk_gb(20),
        )
        .with_egress(
            SandboxEgressConfig::default()
                .with_mode(SandboxEgressConfigMode::AllowList)
                .with_allow(vec![SandboxEgressRule::new("example.com")
                    .with_ports(vec![443])
                    .with_protocol(SandboxEgressRuleProtocol::Tcp)]),
        )
        .with_sandbox_template_id("sb-ubuntu-24-04")
}
