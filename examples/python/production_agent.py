"""The production agent of examples/production-agent.ts, written in Python against the cdk8s-omnia wheel.

Usage: python production_agent.py [OUTDIR]   (default: dist/python)
"""
import sys

import cdk8s_plus_28 as kplus
from cdk8s import ApiObjectMetadata, App, Chart, Duration, Size
from cdk8s_omnia import (
    AgentRuntime, Facade, OmniaApiTarget, OmniaTarget, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey, Session, ToolRegistry,
)
from constructs import Construct


class ProductionAgentChart(Chart):
    """The AgentRuntime reference's complete example; the pack, the registry and both Secrets already exist."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id, namespace="agents")
        openai = kplus.Secret.from_secret_name(self, "OpenAIKey", "openai-credentials")
        redis = kplus.Secret.from_secret_name(self, "Redis", "redis-credentials")

        self.agent = AgentRuntime(
            self,
            "Agent",
            metadata=ApiObjectMetadata(name="production-agent"),
            replicas=3,
            provider=Provider(
                self,
                "OpenAI",
                metadata=ApiObjectMetadata(name="openai-gpt-4-turbo"),
                type=ProviderType.OPENAI,
                model="gpt-4-turbo",
                credential=ProviderCredential.from_secret_key(SecretKey.of(openai, "api-key")),
            ),
            prompt_pack=PromptPack.from_name(self, "Prompts", "customer-service-prompts"),
            tool_registry=ToolRegistry.from_name(self, "Tools", "service-tools"),
            facade=Facade.websocket(port=8080),
            session=Session.redis(ttl=Duration.hours(24), url=SecretKey.of(redis, "url")),
            resources=kplus.ContainerResources(
                cpu=kplus.CpuResources(request=kplus.Cpu.millis(500), limit=kplus.Cpu.millis(1000)),
                memory=kplus.MemoryResources(request=Size.mebibytes(256), limit=Size.mebibytes(512)),
            ),
            env={"LOG_LEVEL": kplus.EnvValue.from_value("info")},
        )


app = App(outdir=sys.argv[1] if len(sys.argv) > 1 else "dist/python")
# The documented API, as the TypeScript example's app chooses it (the default is the newest release).
OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED)
ProductionAgentChart(app, "production-agent")
app.synth()
