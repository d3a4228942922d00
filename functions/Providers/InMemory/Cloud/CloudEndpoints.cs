using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>The cloud's HTTP API (<c>/v1/...</c>, key-protected) and its health probe.</summary>
public static class CloudEndpoints
{
    public static void Map(IEndpointRouteBuilder app, string key)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));

        var v1 = app.MapGroup("/v1").AddEndpointFilter(new ApiKeyFilter(key));

        v1.MapPut("/vms/{id}", async (string id, CreateVmRequest request, InMemoryCloud cloud, CancellationToken ct) =>
        {
            if (Invalid(request) is { } problem) return problem;
            var (vm, created) = await cloud.CreateVmAsync(id, request, ct);
            return created ? Results.Created($"/v1/vms/{id}", vm) : Results.Ok(vm);
        });
        v1.MapGet("/vms/{id}", async (string id, InMemoryCloud cloud, CancellationToken ct) =>
            await cloud.GetVmAsync(id, ct) is { } vm ? Results.Ok(vm) : NotFound("VM", id));
        v1.MapDelete("/vms/{id}", async (string id, InMemoryCloud cloud, CancellationToken ct) =>
        {
            await cloud.DeleteVmAsync(id, ct);
            return Results.NoContent();
        });
        v1.MapPost("/vms/{id}/node-condition", async (string id, NodeConditionRequest request, InMemoryCloud cloud, CancellationToken ct) =>
            await cloud.SetNodeReadyAsync(id, request.Ready, ct) is { } vm ? Results.Ok(vm) : NotFound("VM", id));

        v1.MapPut("/clusters/{ns}/{name}", async (string ns, string name, InMemoryCloud cloud, CancellationToken ct) =>
        {
            var (cluster, created) = await cloud.EnsureClusterAsync(ns, name, ct);
            return created ? Results.Created($"/v1/clusters/{ns}/{name}", cluster) : Results.Ok(cluster);
        });
        v1.MapGet("/clusters/{ns}/{name}", async (string ns, string name, InMemoryCloud cloud, CancellationToken ct) =>
            await cloud.GetClusterAsync(ns, name, ct) is { } cluster ? Results.Ok(cluster) : NotFound("cluster", $"{ns}/{name}"));
        v1.MapDelete("/clusters/{ns}/{name}", async (string ns, string name, InMemoryCloud cloud, CancellationToken ct) =>
        {
            await cloud.DeleteClusterAsync(ns, name, ct);
            return Results.NoContent();
        });
    }

    private static IResult? Invalid(CreateVmRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.ClusterNamespace) || string.IsNullOrWhiteSpace(r.ClusterName) || string.IsNullOrWhiteSpace(r.MachineName))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "clusterNamespace, clusterName and machineName are required.");
        if (r.Role is not (VmRoles.ControlPlane or VmRoles.Worker))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "role must be control-plane or worker.");
        return null;
    }

    private static IResult NotFound(string what, string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No {what} {id}.");
}
