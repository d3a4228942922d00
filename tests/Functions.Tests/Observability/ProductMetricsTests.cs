using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ServerlessCapi.Functions.Metrics;
using ServerlessCapi.Functions.Observability;
using ServerlessCapi.Telemetry;

namespace ServerlessCapi.Functions.Tests.Observability;

/// <summary>The product's OpenTelemetry instruments, and when the SDK is registered (a registered TracerProvider
/// listens process-wide, so these run with the other tracing tests, alone).</summary>
[Collection(nameof(TracingCollection))]
public sealed class ProductMetricsTests
{
    [Fact]
    public void The_product_instruments_appear_on_the_prometheus_endpoint_beside_the_existing_series()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var exporter = new PrometheusExporter(meters);
        var metrics = new ProductMetrics(meters);

        metrics.Reconciled("Machine", "done", TimeSpan.FromMilliseconds(200));
        metrics.Reconciled("Machine", "done", TimeSpan.FromSeconds(3));
        metrics.Sent("capi-events", 2);
        metrics.Processed("capi-events", succeeded: false);

        var text = exporter.Render();
        text.ShouldContain("# TYPE scapi_reconcile_duration_seconds histogram");
        text.ShouldContain("scapi_reconcile_duration_seconds_bucket{scapi_kind=\"Machine\",scapi_outcome=\"done\",le=\"0.25\"} 1");
        text.ShouldContain("scapi_reconcile_duration_seconds_count{scapi_kind=\"Machine\",scapi_outcome=\"done\"} 2");
        text.ShouldContain("scapi_reconcile_steps_total{scapi_kind=\"Machine\",scapi_outcome=\"done\"} 2");
        text.ShouldContain("scapi_queue_messages_total{messaging_destination_name=\"capi-events\",messaging_operation_type=\"send\",result=\"success\"} 2");
        text.ShouldContain("scapi_queue_messages_total{messaging_destination_name=\"capi-events\",messaging_operation_type=\"process\",result=\"failure\"} 1");
    }

    [Fact]
    public void The_sdk_is_registered_only_when_otlp_or_a_trace_file_is_configured()
    {
        static ServiceProvider Build(Dictionary<string, string?> settings)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection().AddMetrics();
            TelemetrySetup.Add(services, configuration);
            return services.BuildServiceProvider();
        }

        using (var none = Build([]))
        {
            none.GetService<TracerProvider>().ShouldBeNull();
            none.GetService<MeterProvider>().ShouldBeNull();
            none.GetService<ProductMetrics>().ShouldNotBeNull("the instruments exist for /metrics either way");
        }
        using (var otlp = Build(new() { [TelemetrySetup.OtlpEndpointSetting] = "http://127.0.0.1:4317" }))
        {
            otlp.GetService<TracerProvider>().ShouldNotBeNull();
            otlp.GetService<MeterProvider>().ShouldNotBeNull();
        }
        var file = Path.Combine(Path.GetTempPath(), $"scapi-spans-{Guid.NewGuid():N}.jsonl");
        try
        {
            using var traces = Build(new() { [TelemetrySetup.TracesSetting] = file });
            traces.GetService<TracerProvider>().ShouldNotBeNull();
            traces.GetService<MeterProvider>().ShouldBeNull("a trace file is for spans; metrics stay on /metrics");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
