using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ServerlessCapi.Api;
using ServerlessCapi.Testing;
using Xunit.Abstractions;

namespace ServerlessCapi.Dashboard.Tests;

/// <summary>The dashboard in a real browser (the system Chromium, headless) against a local run of the quickstart:
/// what an operator sees, and that it follows the fleet without a reload.</summary>
public sealed class DashboardPageTests(QuickstartEnvironment quickstart, ITestOutputHelper output) : IClassFixture<QuickstartEnvironment>
{
    private const string Machines = "#tree tr[data-kind='Machine']";
    private static readonly float WaitMs = (float)QuickstartEnvironment.Timeout.TotalMilliseconds;

    private string PageUrl => $"{quickstart.Env.AppUrl()}/api/dashboard?code={quickstart.Env.Endpoints.AdminKey}";

    [Fact]
    public async Task The_page_shows_the_converged_quickstart_and_follows_a_scale_up_without_a_reload()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = SystemChromium.Path(),
            Headless = true,
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1500, Height = 1000 } });
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") problems.Add(m.Text); };
        page.PageError += (_, e) => problems.Add(e);

        var response = await page.GotoAsync(PageUrl);
        response.ShouldNotBeNull().Status.ShouldBe(200);

        // The fleet: Cluster demo Provisioned and Available, six Machines Running.
        var demo = page.Locator("#fleet tr[data-cluster='default/demo']");
        (await demo.InnerTextAsync()).ShouldSatisfyAllConditions(
            t => t.ShouldContain("Provisioned"),
            t => t.ShouldContain("6 Running"));
        (await demo.Locator("[data-condition='Available']").InnerTextAsync()).ShouldBe("Available True");
        (await page.Locator("#cluster-title [data-condition='Available']").InnerTextAsync()).ShouldBe("Available True");
        (await page.Locator("#cluster-title").InnerTextAsync()).ShouldContain("Cluster default/demo");
        (await page.Locator("#cluster-conditions").InnerTextAsync()).ShouldContain("ControlPlaneAvailable");

        // The tree: control plane, MachineDeployment, MachineSet, six Machines, each with its DevMachine and KubeadmConfig.
        var tree = await page.Locator("#tree").InnerTextAsync();
        tree.ShouldSatisfyAllConditions(
            t => t.ShouldContain("ControlPlane - KubeadmControlPlane/demo-control-plane"),
            t => t.ShouldContain("MachineDeployment/demo-md-0"),
            t => t.ShouldContain("MachineSet/demo-md-0-"),
            t => t.ShouldContain("ClusterInfrastructure - DevCluster/demo"));
        var machineRows = page.Locator(Machines);
        (await machineRows.CountAsync()).ShouldBe(6);
        foreach (var row in await machineRows.AllAsync()) (await row.InnerTextAsync()).ShouldContain("Running");
        (await page.Locator("#tree tr[data-kind='DevMachine']").CountAsync()).ShouldBe(6);
        (await page.Locator("#tree tr[data-kind='KubeadmConfig']").CountAsync()).ShouldBe(6);

        // One Machine's timeline: created, bootstrap data, infrastructure, providerID, Node, and what its reconciles said.
        var first = await machineRows.First.GetAttributeAsync("data-name");
        var timeline = page.Locator($"details[data-machine='{first}']");
        await timeline.Locator("summary").ClickAsync();
        var steps = await timeline.InnerTextAsync();
        output.WriteLine(steps);
        steps.ShouldSatisfyAllConditions(
            t => t.ShouldContain("Created"),
            t => t.ShouldContain("BootstrapConfigReady True"),
            t => t.ShouldContain("InfrastructureReady True"),
            t => t.ShouldContain("NodeReady True"),
            t => t.ShouldMatch(@"Bootstrap data\s+created"),
            t => t.ShouldNotContain("not yet"));
        (await timeline.Locator("li.note").CountAsync()).ShouldBeGreaterThan(0, "the entity's own timeline notes");
        var machine = await quickstart.Kube.GetAsync<Api.Machine>("default", first!);
        steps.ShouldContain(machine!.Spec.ProviderId!);
        steps.ShouldContain(machine.Status.NodeRef!.Name);

        // The charts: one per metric group, the workflow steps drawn from sampled points.
        (await page.Locator("figure.chart svg").CountAsync()).ShouldBe(4);
        await page.WaitForFunctionAsync(
            "() => (document.querySelector(\"figure[data-chart='Workflow steps'] polyline\")?.getAttribute('points') || '').split(' ').length > 2",
            null, new PageWaitForFunctionOptions { Timeout = WaitMs });

        // Live: scale the workers to four; the new Machine appears and comes up Running on the same page.
        await page.EvaluateAsync("() => { window.scapiSamePage = true; }");
        await quickstart.Kube.MergePatchAsync<MachineDeployment>("default", "demo-md-0", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 4 } });
        await page.WaitForFunctionAsync($"() => document.querySelectorAll(\"{Machines}\").length === 7", null,
            new PageWaitForFunctionOptions { Timeout = WaitMs });
        await page.WaitForFunctionAsync(
            $"() => [...document.querySelectorAll(\"{Machines}\")].every(r => r.innerText.includes('Running'))" +
            " && document.querySelector(\"#fleet tr[data-cluster='default/demo']\").innerText.includes('7 Running')",
            null, new PageWaitForFunctionOptions { Timeout = WaitMs });
        (await page.EvaluateAsync<bool>("() => window.scapiSamePage === true")).ShouldBeTrue("the page updated in place, without a reload");
        (await timeline.GetAttributeAsync("open")).ShouldNotBeNull("an open timeline stays open across updates");
        (await page.Locator("#live").InnerTextAsync()).ShouldStartWith("live, updated");
        await WaitFor.ConditionAsync(() => quickstart.ConvergedAsync(machines: 7), QuickstartEnvironment.Timeout, "seven Machines Running");
        await page.WaitForFunctionAsync("() => document.querySelector(\"#fleet tr[data-cluster='default/demo'] [data-condition='Available']\").innerText === 'Available True'",
            null, new PageWaitForFunctionOptions { Timeout = WaitMs });

        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"Dashboard screenshot: {screenshot}");
        Console.WriteLine($"Dashboard screenshot: {screenshot}");
        new FileInfo(screenshot).Length.ShouldBeGreaterThan(10_000);
        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_page_and_its_data_need_the_key_and_never_carry_it()
    {
        var key = quickstart.Env.Endpoints.AdminKey;
        using var http = new HttpClient { BaseAddress = new Uri(quickstart.Env.AppUrl()) };
        (await http.GetAsync(new Uri("/api/dashboard", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await http.GetAsync(new Uri("/api/dashboard?code=wrong", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await http.GetAsync(new Uri("/api/dashboard/data", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var page = await http.GetAsync(new Uri($"/api/dashboard?code={key}", UriKind.Relative));
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("default-src 'none'");
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("default/demo");
        html.ShouldNotContain(key);
        html.ShouldNotContain("http://", Case.Insensitive, "no external assets");
        html.ShouldNotContain("https://", Case.Insensitive, "no external assets");

        using var data = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/dashboard/data?cluster=default/demo", UriKind.Relative));
        data.Headers.Add("x-functions-key", key);
        var answer = await http.SendAsync(data);
        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await answer.Content.ReadAsStringAsync();
        body.ShouldNotContain(key);
        var json = JsonNode.Parse(body)!;
        json["selected"]!.GetValue<string>().ShouldBe("default/demo");
        json["cluster"]!.GetValue<string>().ShouldContain("Machine timelines");

        foreach (var log in Directory.GetFiles(quickstart.Env.LogDir))
            (await File.ReadAllTextAsync(log)).ShouldNotContain(key, customMessage: Path.GetFileName(log));
    }
}
