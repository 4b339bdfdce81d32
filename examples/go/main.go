// The production agent of examples/production-agent.ts, written in Go against the cdk8s-omnia Go module.
//
// Usage: go run . [OUTDIR]   (default: dist/go)
package main

import (
	"os"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-omnia/cdk8s-omnia-go/cdk8somnia"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	kplus "github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2"
)

// ProductionAgentChart is the AgentRuntime reference's complete example; the pack, the registry and both
// Secrets already exist.
type ProductionAgentChart struct {
	cdk8s.Chart
	Agent cdk8somnia.AgentRuntime
}

func NewProductionAgentChart(scope constructs.Construct, id string) ProductionAgentChart {
	chart := cdk8s.NewChart(scope, jsii.String(id), &cdk8s.ChartProps{Namespace: jsii.String("agents")})
	openai := kplus.Secret_FromSecretName(chart, jsii.String("OpenAIKey"), jsii.String("openai-credentials"))
	redis := kplus.Secret_FromSecretName(chart, jsii.String("Redis"), jsii.String("redis-credentials"))

	provider := cdk8somnia.NewProvider(chart, jsii.String("OpenAI"), &cdk8somnia.ProviderProps{
		Metadata:   &cdk8s.ApiObjectMetadata{Name: jsii.String("openai-gpt-4-turbo")},
		Type:       cdk8somnia.ProviderType_OPENAI,
		Model:      jsii.String("gpt-4-turbo"),
		Credential: cdk8somnia.ProviderCredential_FromSecretKey(cdk8somnia.SecretKey_Of(openai, jsii.String("api-key"))),
	})
	agent := cdk8somnia.NewAgentRuntime(chart, jsii.String("Agent"), &cdk8somnia.AgentRuntimeProps{
		Metadata:     &cdk8s.ApiObjectMetadata{Name: jsii.String("production-agent")},
		Replicas:     jsii.Number(3),
		Provider:     provider,
		PromptPack:   cdk8somnia.PromptPack_FromName(chart, jsii.String("Prompts"), jsii.String("customer-service-prompts"), nil),
		ToolRegistry: cdk8somnia.ToolRegistry_FromName(chart, jsii.String("Tools"), jsii.String("service-tools"), nil),
		Facade:       cdk8somnia.Facade_Websocket(&cdk8somnia.WebSocketFacadeOptions{Port: jsii.Number(8080)}),
		Session:      cdk8somnia.Session_Redis(&cdk8somnia.RedisSessionOptions{Ttl: cdk8s.Duration_Hours(jsii.Number(24)), Url: cdk8somnia.SecretKey_Of(redis, jsii.String("url"))}),
		Resources: &kplus.ContainerResources{
			Cpu:    &kplus.CpuResources{Request: kplus.Cpu_Millis(jsii.Number(500)), Limit: kplus.Cpu_Millis(jsii.Number(1000))},
			Memory: &kplus.MemoryResources{Request: cdk8s.Size_Mebibytes(jsii.Number(256)), Limit: cdk8s.Size_Mebibytes(jsii.Number(512))},
		},
		Env: &map[string]kplus.EnvValue{"LOG_LEVEL": kplus.EnvValue_FromValue(jsii.String("info"))},
	})
	return ProductionAgentChart{Chart: chart, Agent: agent}
}

func main() {
	defer jsii.Close()
	outdir := "dist/go"
	if len(os.Args) > 1 {
		outdir = os.Args[1]
	}
	app := cdk8s.NewApp(&cdk8s.AppProps{Outdir: jsii.String(outdir)})
	// The documented API, as the TypeScript example's app chooses it (the default is the newest release).
	cdk8somnia.OmniaTarget_Use(app, cdk8somnia.OmniaApiTarget_DOCUMENTED)
	NewProductionAgentChart(app, "production-agent")
	app.Synth()
}
