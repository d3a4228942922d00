using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ServerlessCapi.Telemetry;

namespace ServerlessCapi.Functions.Observability;

/// <summary>Registers the OpenTelemetry SDK for the product's spans and meters, in either host. Traces go to OTLP when
/// an OTLP endpoint is configured (the standard <c>OTEL_EXPORTER_OTLP_*</c> settings) and, with
/// <c>Telemetry:Traces</c> (a file path or <c>console</c>), as JSON lines; metrics go to OTLP when configured (the
/// app's Prometheus endpoint serves them either way). With neither set nothing is registered and spans cost nothing.</summary>
public static class TelemetrySetup
{
    /// <summary>A file to write finished spans to as JSON lines, or <c>console</c>.</summary>
    public const string TracesSetting = "Telemetry:Traces";

    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The HTTP client's span operation: a request made outside any product span (queue polling, lease
    /// renewals, the relay's long watches) starts no trace of its own.</summary>
    private const string HttpClientOperation = "System.Net.Http.HttpRequestOut";

    public static bool Configured(IConfiguration configuration) =>
        TracesTarget(configuration) is not null || OtlpTraces(configuration) || OtlpMetrics(configuration);

    /// <summary>Adds the SDK when configured; returns the builder (null when nothing is configured) for a host to add
    /// its own sources to.</summary>
    public static IOpenTelemetryBuilder? Add(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<ProductMetrics>();
        if (!Configured(configuration)) return null;
        var traces = TracesTarget(configuration);
        var instance = configuration["SCAPI_INSTANCE"] ?? configuration["WEBSITE_INSTANCE_ID"];
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : ProductTelemetry.Name,
                serviceInstanceId: instance));
        if (traces is not null || OtlpTraces(configuration))
        {
            builder.WithTracing(tracing =>
            {
                tracing.AddSource(ProductTelemetry.Name)
                    .SetSampler(new ParentBasedSampler(new ProductRootSampler()))
                    // The Kubernetes client's calls (and storage calls made inside a product span) as child spans. Only
                    // method, URL (query values redacted), server and status are recorded: never headers or bodies.
                    .AddHttpClientInstrumentation();
                if (traces is not null)
                {
                    tracing.AddProcessor(new BatchActivityExportProcessor(new JsonLinesSpanExporter(traces),
                        scheduledDelayMilliseconds: 500));
                }
                if (OtlpTraces(configuration)) tracing.AddOtlpExporter();
            });
        }
        if (OtlpMetrics(configuration))
        {
            builder.WithMetrics(metrics => metrics
                .AddMeter(ProductTelemetry.Name, ProductTelemetry.Name + ".*")
                .AddOtlpExporter());
        }
        return builder;
    }

    private static string? TracesTarget(IConfiguration configuration) =>
        configuration[TracesSetting] is { Length: > 0 } target ? target : null;

    private static bool OtlpTraces(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[OtlpEndpointSetting]) || !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);

    private static bool OtlpMetrics(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[OtlpEndpointSetting]) || !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]);

    /// <summary>Records every root span but the HTTP client's: those are the app's background storage and watch traffic.</summary>
    private sealed class ProductRootSampler : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            samplingParameters.Name == HttpClientOperation
                ? new SamplingResult(SamplingDecision.Drop)
                : new SamplingResult(SamplingDecision.RecordAndSample);
    }
}
