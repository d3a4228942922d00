using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Management;

namespace ServerlessCapi.Workflows.Tests.Management;

/// <summary>A real DurableHost on Azurite (its own hub, object entities, a <c>waiter</c> orchestration and a <c>caller</c> of an <c>echo</c> activity) with the
/// management endpoints served by Kestrel on a loopback port, and an HTTP client that sends the admin key.</summary>
internal sealed class ManagementApp : IAsyncDisposable
{
    public const string AdminKey = "admin-key-for-tests";
    public const string SystemKey = "durable-system-key-for-tests";
    public const string Base = ManagementEndpoints.BasePath;

    private readonly WebApplication app;

    private ManagementApp(DurableHost host, WebApplication app, HttpClient http, RecordingReconcile reconcile)
    {
        Host = host;
        this.app = app;
        Http = http;
        Reconcile = reconcile;
        Client = new TaskHubManagementClient(host);
    }

    public DurableHost Host { get; }

    public HttpClient Http { get; }

    public RecordingReconcile Reconcile { get; }

    /// <summary>Reads the task hub directly, to check what the API calls did.</summary>
    public TaskHubManagementClient Client { get; }

    public Uri BaseAddress => Http.BaseAddress!;

    public static async Task<ManagementApp> StartAsync()
    {
        var reconcile = new RecordingReconcile();
        var host = new DurableHost(await Hubs.OptionsAsync(Hubs.NewHub()), reconcile);
        host.AddOrchestrator("waiter", () => new Waiter());
        host.AddOrchestrator("caller", () => new Caller());
        host.AddActivity("echo", () => new Echo());
        await host.StartAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapDurableTaskManagement(new TaskHubManagementClient(host), AdminKey, SystemKey);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Add(ManagementEndpoints.KeyHeader, AdminKey);
        return new ManagementApp(host, app, http, reconcile);
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await Host.DisposeAsync();
    }

    /// <summary>Calls the <c>echo</c> activity once and returns what it returned.</summary>
    private sealed class Caller : TaskOrchestrator<string, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
            context.CallActivityAsync<string>("echo", input);
    }

    private sealed class Echo : TaskActivity<string, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult($"echo:{input}");
    }

    /// <summary>Waits for one event named <c>go</c> and returns <c>{input}:{payload}</c>.</summary>
    private sealed class Waiter : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
            $"{input}:{await context.WaitForExternalEvent<string>("go")}";
    }
}
