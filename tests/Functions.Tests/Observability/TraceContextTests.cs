using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.Functions.Observability;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Telemetry;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Functions.Tests.Observability;

/// <summary>W3C trace context in the places it travels: the CloudEvent's <c>traceparent</c> extension attribute, the
/// durable signal's payload, and the JSON lines a trace is read from.</summary>
public sealed class TraceContextTests
{
    private static readonly ActivityContext Sampled =
        new(ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c"), ActivitySpanId.CreateFromString("b7ad6b7169203331"),
            ActivityTraceFlags.Recorded, isRemote: true);

    [Fact]
    public void A_traceparent_round_trips_and_keeps_its_ids_and_sampled_flag()
    {
        var text = TraceParent.Format(Sampled);
        text.ShouldBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        TraceParent.TryParse(text, out var parsed).ShouldBeTrue();
        parsed.TraceId.ShouldBe(Sampled.TraceId);
        parsed.SpanId.ShouldBe(Sampled.SpanId);
        parsed.TraceFlags.ShouldBe(ActivityTraceFlags.Recorded);
        parsed.IsRemote.ShouldBeTrue();
        TraceParent.TryParse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00", out var unsampled).ShouldBeTrue();
        unsampled.TraceFlags.ShouldBe(ActivityTraceFlags.None);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a traceparent")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319X-b7ad6b7169203331-01")]
    public void A_malformed_traceparent_is_no_context_rather_than_an_error(string? value)
    {
        TraceParent.TryParse(value, out var context).ShouldBeFalse();
        context.ShouldBe(default);
        TraceParent.ParseOrDefault(value).ShouldBe(default);
        TraceParent.Format(default).ShouldBeNull();
    }

    [Fact]
    public void A_cloud_event_carries_the_traceparent_extension_attribute_through_the_queue_message_and_a_batch()
    {
        var data = new ObjectEventData { ApiVersion = "cluster.x-k8s.io/v1beta2", Kind = "Machine", Namespace = "ns", Name = "m", Uid = "u-m", ResourceVersion = "7" };
        var traced = ObjectEvents.Create("mgmt", "machines", data, DateTimeOffset.UtcNow);
        ObjectEvents.SetTraceParent(traced, TraceParent.Format(Sampled));
        var untraced = ObjectEvents.Create("mgmt", "machines", data with { Uid = "u-2" }, DateTimeOffset.UtcNow);

        var single = ObjectEvents.Serialize(traced);
        JsonNode.Parse(single)!["traceparent"]!.GetValue<string>().ShouldBe(TraceParent.Format(Sampled));
        ObjectEvents.TraceParentOf(ObjectEvents.Parse(single)).ShouldBe(TraceParent.Format(Sampled));

        var batch = ObjectEvents.ParseAll(ObjectEvents.SerializeBatch([traced, untraced]));
        ObjectEvents.TraceParentOf(batch[0]).ShouldBe(TraceParent.Format(Sampled));
        ObjectEvents.TraceParentOf(batch[1]).ShouldBeNull();

        ObjectEvents.SetTraceParent(traced, null);
        JsonNode.Parse(ObjectEvents.Serialize(traced))!["traceparent"].ShouldBeNull();
    }

    [Fact]
    public void A_change_signal_s_payload_carries_the_signal_span_s_context_and_a_payload_without_one_still_reads()
    {
        var key = new ObjectKey("Machine", "ns", "m", "u-m");
        using var source = new ActivitySource("ServerlessCapi.Functions.Tests.Payload");
        using var span = new Activity("signal");
        span.SetParentId(Sampled.TraceId, Sampled.SpanId, ActivityTraceFlags.Recorded);
        span.Start();

        // The SDK's data converter is plain System.Text.Json, as the client serializes signal inputs.
        var json = JsonSerializer.Serialize(SignalTracing.Payload(key, span));
        var read = JsonSerializer.Deserialize<ChangedSignal>(json)!;
        read.Key.ShouldBe(key);
        TraceParent.TryParse(read.TraceParent, out var context).ShouldBeTrue();
        context.TraceId.ShouldBe(Sampled.TraceId);
        context.SpanId.ShouldBe(span.SpanId);

        // A signal queued before signals carried a context was the bare key.
        var old = JsonSerializer.Deserialize<ChangedSignal>(JsonSerializer.Serialize(key))!;
        old.Key.ShouldBe(key);
        old.TraceParent.ShouldBeNull();
        SignalTracing.Payload(key, null).TraceParent.ShouldBeNull();
    }

    [Fact]
    public void A_finished_span_is_one_json_line_with_its_ids_timing_attributes_links_and_status()
    {
        var linked = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        using var span = new Activity("reconcile");
        span.SetParentId(Sampled.TraceId, Sampled.SpanId, ActivityTraceFlags.Recorded);
        span.AddLink(new ActivityLink(linked));
        span.SetTag(ProductTelemetry.Attributes.Kind, "Machine").SetTag(ProductTelemetry.Attributes.Scheduled, false)
            .SetTag(ProductTelemetry.Attributes.RequeueAfter, 2.5).SetTag("http.response.status_code", 409);
        span.Start();
        span.SetStatus(ActivityStatusCode.Error, "KubeApiException");
        span.Stop();

        var line = JsonLinesSpanExporter.Line(span);
        line.ShouldNotContain("\n");
        var json = JsonNode.Parse(line)!;
        json["traceId"]!.GetValue<string>().ShouldBe(Sampled.TraceId.ToHexString());
        json["spanId"]!.GetValue<string>().ShouldBe(span.SpanId.ToHexString());
        json["parentSpanId"]!.GetValue<string>().ShouldBe(Sampled.SpanId.ToHexString());
        json["name"]!.GetValue<string>().ShouldBe("reconcile");
        DateTimeOffset.Parse(json["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(span.StartTimeUtc);
        json["duration"]!.GetValue<double>().ShouldBe(Math.Round(span.Duration.TotalMilliseconds, 3));
        json["attributes"]!["scapi.kind"]!.GetValue<string>().ShouldBe("Machine");
        json["attributes"]!["scapi.scheduled"]!.GetValue<bool>().ShouldBeFalse();
        json["attributes"]!["scapi.requeue_after"]!.GetValue<double>().ShouldBe(2.5);
        json["attributes"]!["http.response.status_code"]!.GetValue<long>().ShouldBe(409);
        json["links"]![0]!["spanId"]!.GetValue<string>().ShouldBe(linked.SpanId.ToHexString());
        json["status"]!["code"]!.GetValue<string>().ShouldBe("Error");
        json["status"]!["description"]!.GetValue<string>().ShouldBe("KubeApiException");

        using var root = new Activity("relay publish").Start();
        root.Stop();
        JsonNode.Parse(JsonLinesSpanExporter.Line(root))!["parentSpanId"].ShouldBeNull();
    }
}
