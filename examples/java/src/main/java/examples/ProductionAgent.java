package examples;

import io.github.cdk8s_omnia.AgentRuntime;
import io.github.cdk8s_omnia.Facade;
import io.github.cdk8s_omnia.OmniaApiTarget;
import io.github.cdk8s_omnia.OmniaTarget;
import io.github.cdk8s_omnia.PromptPack;
import io.github.cdk8s_omnia.Provider;
import io.github.cdk8s_omnia.ProviderCredential;
import io.github.cdk8s_omnia.ProviderType;
import io.github.cdk8s_omnia.RedisSessionOptions;
import io.github.cdk8s_omnia.SecretKey;
import io.github.cdk8s_omnia.Session;
import io.github.cdk8s_omnia.ToolRegistry;
import io.github.cdk8s_omnia.WebSocketFacadeOptions;
import java.util.Map;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.App;
import org.cdk8s.AppProps;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import org.cdk8s.Duration;
import org.cdk8s.Size;
import org.cdk8s.plus28.ContainerResources;
import org.cdk8s.plus28.Cpu;
import org.cdk8s.plus28.CpuResources;
import org.cdk8s.plus28.EnvValue;
import org.cdk8s.plus28.ISecret;
import org.cdk8s.plus28.MemoryResources;
import org.cdk8s.plus28.Secret;
import software.constructs.Construct;

/**
 * The production agent of examples/production-agent.ts, written in Java against the cdk8s-omnia jar.
 *
 * <p>Usage: {@code mvn compile exec:java -Dexec.args=OUTDIR} (default: dist/java)
 */
public final class ProductionAgent {
  /** The AgentRuntime reference's complete example; the pack, the registry and both Secrets already exist. */
  public static final class ProductionAgentChart extends Chart {
    public final AgentRuntime agent;

    public ProductionAgentChart(final Construct scope, final String id) {
      super(scope, id, ChartProps.builder().namespace("agents").build());
      ISecret openai = Secret.fromSecretName(this, "OpenAIKey", "openai-credentials");
      ISecret redis = Secret.fromSecretName(this, "Redis", "redis-credentials");

      this.agent = AgentRuntime.Builder.create(this, "Agent")
          .metadata(ApiObjectMetadata.builder().name("production-agent").build())
          .replicas(3)
          .provider(Provider.Builder.create(this, "OpenAI")
              .metadata(ApiObjectMetadata.builder().name("openai-gpt-4-turbo").build())
              .type(ProviderType.OPENAI)
              .model("gpt-4-turbo")
              .credential(ProviderCredential.fromSecretKey(SecretKey.of(openai, "api-key")))
              .build())
          .promptPack(PromptPack.fromName(this, "Prompts", "customer-service-prompts"))
          .toolRegistry(ToolRegistry.fromName(this, "Tools", "service-tools"))
          .facade(Facade.websocket(WebSocketFacadeOptions.builder().port(8080).build()))
          .session(Session.redis(RedisSessionOptions.builder().ttl(Duration.hours(24)).url(SecretKey.of(redis, "url")).build()))
          .resources(ContainerResources.builder()
              .cpu(CpuResources.builder().request(Cpu.millis(500)).limit(Cpu.millis(1000)).build())
              .memory(MemoryResources.builder().request(Size.mebibytes(256)).limit(Size.mebibytes(512)).build())
              .build())
          .env(Map.of("LOG_LEVEL", EnvValue.fromValue("info")))
          .build();
    }
  }

  public static void main(final String[] args) {
    App app = new App(AppProps.builder().outdir(args.length > 0 ? args[0] : "dist/java").build());
    // The documented API, as the TypeScript example's app chooses it (the default is the newest release).
    OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED);
    new ProductionAgentChart(app, "production-agent");
    app.synth();
  }

  private ProductionAgent() {
  }
}
