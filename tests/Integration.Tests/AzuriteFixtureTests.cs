using Azure.Data.Tables;
using Azure.Storage.Queues;
using ServerlessCapi.Local;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Integration.Tests;

public class AzuriteFixtureTests
{
    [Fact]
    public async Task Shared_emulator_serves_tables_and_queues()
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        var prefix = TestNames.Unique("fx");

        var table = new TableClient(cs, prefix);
        await table.CreateIfNotExistsAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["Value"] = 42 });
        (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetInt32("Value").ShouldBe(42);

        var queue = new QueueClient(cs, prefix);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("hello");
        var received = await queue.ReceiveMessageAsync();
        received.Value.MessageText.ShouldBe("hello");
    }

    [Fact]
    public async Task A_killed_emulator_is_reported_as_exited_and_a_fresh_one_starts_on_other_ports()
    {
        await using var first = await AzuriteProcess.StartAsync();
        var firstPort = first.TablePort;
        first.Kill();
        await WaitFor.ConditionAsync(() => first.HasExited, TimeSpan.FromSeconds(10));

        await using var second = await AzuriteProcess.StartAsync();
        second.HasExited.ShouldBeFalse();
        var table = new TableClient(second.ConnectionString, TestNames.Unique("fy"));
        await table.CreateIfNotExistsAsync();
        (await table.GetEntityIfExistsAsync<TableEntity>("p", "r")).HasValue.ShouldBeFalse();
        firstPort.ShouldBeGreaterThan(0);
    }
}
