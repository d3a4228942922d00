using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Queues;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.Tests.CustomHandler;

/// <summary>Posts the invocation payloads the Azure Functions custom-handler documentation shows.</summary>
public class CustomHandlerTests
{
    [Fact]
    public async Task A_queue_invocation_runs_the_function_with_the_message_and_its_metadata()
    {
        var recorder = new Recorder();
        await using var app = await StartAsync(recorder);

        var response = await PostAsync(app, "/strings", """
            {
              "Data": { "message": "{ message: \"Message sent\" }" },
              "Metadata": {
                "DequeueCount": 1,
                "ExpirationTime": "2019-10-16T17:58:31+00:00",
                "Id": "800ae4b3-bdd2-4c08-badd-f08e5a34b865",
                "InsertionTime": "2019-10-09T17:58:31+00:00",
                "NextVisibleTime": "2019-10-09T18:08:32+00:00",
                "PopReceipt": "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
                "sys": { "MethodName": "QueueTrigger", "UtcNow": "2019-10-09T17:58:32.2205399Z", "RandGuid": "24ad4c06-24ad-4e5b-8294-3da9714877e9" }
              }
            }
            """);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var payload = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        payload.RootElement.GetProperty("Outputs").EnumerateObject().ShouldBeEmpty();
        payload.RootElement.GetProperty("Logs").GetArrayLength().ShouldBe(1);
        payload.RootElement.GetProperty("ReturnValue").ValueKind.ShouldBe(JsonValueKind.Null);
        var call = recorder.Of<QueueCall>().ShouldHaveSingleItem();
        call.Body.ShouldBe("{ message: \"Message sent\" }");
        call.Info.Id.ShouldBe("800ae4b3-bdd2-4c08-badd-f08e5a34b865");
        call.Info.DequeueCount.ShouldBe(1);
        call.Info.InsertionTime.ShouldBe(DateTimeOffset.Parse("2019-10-09T17:58:31+00:00", System.Globalization.CultureInfo.InvariantCulture));
        call.Info.PopReceipt.ShouldBe("AgAAAAMAAAAAAAAAAgtnj8x+1QE=");
    }

    [Fact]
    public async Task A_json_queue_message_binds_to_the_message_type_whether_sent_as_text_or_object()
    {
        var recorder = new Recorder();
        await using var app = await StartAsync(recorder);

        (await PostAsync(app, "/orders", """{"Data":{"message":"{\"id\":\"o-1\",\"quantity\":2}"},"Metadata":{"DequeueCount":"3","Id":"m1"}}"""))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PostAsync(app, "/orders", """{"Data":{"message":{"id":"o-2","quantity":5}},"Metadata":{"DequeueCount":1,"Id":"m2"}}"""))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var calls = recorder.Of<OrderCall>();
        calls.Select(c => c.Order).ShouldBe([new Order("o-1", 2), new Order("o-2", 5)]);
        calls[0].Info.DequeueCount.ShouldBe(3);
    }

    [Fact]
    public async Task A_failing_function_answers_500_with_a_log_line_but_no_exception_message()
    {
        await using var app = await StartAsync(new Recorder());

        var response = await PostAsync(app, "/fails", """{"Data":{"message":"x"},"Metadata":{"DequeueCount":1,"Id":"m"}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("InvalidOperationException");
        text.ShouldNotContain("secret");
    }

    [Fact]
    public async Task A_timer_invocation_passes_the_schedule_status_and_past_due_flag()
    {
        var recorder = new Recorder();
        await using var app = await StartAsync(recorder);

        var response = await PostAsync(app, "/tick", """
            {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-09-24T13:08:00.0096035+00:00","Next":"2026-09-24T13:09:00+00:00","LastUpdated":"2026-09-24T13:08:00.0096035+00:00"},"IsPastDue":true}},
             "Metadata":{"sys":{"MethodName":"tick","UtcNow":"2026-09-24T13:09:00.01Z","RandGuid":"5c3e3ad8-0b59-4b55-9d54-8bd1a7f2b0c1"}}}
            """);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var call = recorder.Of<TimerCall>().ShouldHaveSingleItem();
        call.Info.IsPastDue.ShouldBeTrue();
        call.Info.ScheduleStatus!.Next.ShouldBe(new DateTimeOffset(2026, 9, 24, 13, 9, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task An_http_invocation_returns_the_response_in_the_res_output()
    {
        await using var app = await StartAsync(new Recorder());

        var response = await PostAsync(app, "/echo", """
            {
              "Data": {
                "req": {
                  "Url": "http://localhost:7071/api/echo/abc?x=1",
                  "Method": "POST",
                  "Query": "{\"x\":\"1\"}",
                  "Headers": { "Content-Type": [ "application/json" ] },
                  "Params": { "name": "abc" },
                  "Body": "{\"id\":1005,\"quantity\":2,\"color\":\"black\"}"
                }
              },
              "Metadata": {}
            }
            """);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var payload = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var res = payload.RootElement.GetProperty("Outputs").GetProperty("res");
        res.GetProperty("statusCode").GetInt32().ShouldBe(200);
        res.GetProperty("headers").GetProperty("Content-Type").GetString().ShouldStartWith("application/json");
        using var body = JsonDocument.Parse(res.GetProperty("body").GetString()!);
        body.RootElement.GetProperty("name").GetString().ShouldBe("abc");
        body.RootElement.GetProperty("x").GetString().ShouldBe("1");
        body.RootElement.GetProperty("method").GetString().ShouldBe("POST");
        body.RootElement.GetProperty("body").GetString().ShouldBe("""{"id":1005,"quantity":2,"color":"black"}""");
    }

    [Fact]
    public async Task Custom_handler_mode_starts_no_listeners_and_knows_only_registered_functions()
    {
        await using var app = await StartAsync(new Recorder());

        app.Services.GetService<QueueListenerHost>().ShouldBeNull();
        (await PostAsync(app, "/nosuchfunction", """{"Data":{},"Metadata":{}}""")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PostAsync(app, "/strings", "not json")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await app.Http.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task With_forwarding_http_functions_answer_on_their_routes_and_the_host_does_the_key_check()
    {
        await using var app = await StartAsync(new Recorder(), forwarding: true);

        var response = await app.Http.GetAsync("/api/echo/abc?x=2");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"x\":\"2\"");
        (await PostAsync(app, "/echo", """{"Data":{},"Metadata":{}}""")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PostAsync(app, "/strings", """{"Data":{"message":"q"},"Metadata":{}}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<HttpResponseMessage> PostAsync(TestApp app, string path, string json) =>
        await app.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<TestApp> StartAsync(Recorder recorder, bool forwarding = false)
    {
        var prefix = TestNames.Unique("c");
        var settings = TestApp.DefaultSettings(await TestApp.StorageAsync(), prefix);
        if (forwarding) settings["AzureFunctionsJobHost:customHandler:enableForwardingHttpRequest"] = "true";
        var app = await TestApp.StartAsync(
            f => f.Queue<RecordString>("strings", prefix)
                .Queue<RecordOrder>("orders", prefix + "-orders")
                .Queue<AlwaysFails>("fails", prefix + "-fails")
                .Timer<Tick>("tick", "0 * * * * *")
                .Http<Echo>("echo", "GET,POST", "echo/{name}"),
            settings,
            s => s.AddSingleton(recorder).AddSingleton(new InstanceTag("handler")),
            FunctionHostingMode.CustomHandler);
        return app;
    }
}
