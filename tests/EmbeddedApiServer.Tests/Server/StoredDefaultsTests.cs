using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Tests.Contract;
using ServerlessCapi.Testing;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Server;

/// <summary>A default added to a CRD shows on objects stored before it, as kube-apiserver's defaulting on read gives.</summary>
public sealed class StoredDefaultsTests
{
    private static JsonObject Crd(bool withDefault) => (JsonObject)JsonNode.Parse("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"lamps.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced","names":{"kind":"Lamp","plural":"lamps","singular":"lamp"},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{
            "spec":{"type":"object","properties":{"watts":{"type":"integer"},"color":{"type":"string"DEFAULT}}}}}}}]}}
        """.Replace("DEFAULT", withDefault ? ",\"default\":\"white\"" : "", StringComparison.Ordinal))!;

    [Fact]
    public async Task Objects_stored_before_a_default_was_added_read_with_it_without_a_new_resourceVersion()
    {
        await using var server = await TestApiServer.StartAsync();
        using var http = server.CreateHttpClient();
        async Task<(int, JsonObject?)> Send(HttpMethod method, string path, JsonNode? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject);
        }

        (await Send(HttpMethod.Post, "apis/apiextensions.k8s.io/v1/customresourcedefinitions", Crd(withDefault: false))).Item1.ShouldBe(201);
        var lamp = JsonNode.Parse("""{"apiVersion":"example.com/v1","kind":"Lamp","metadata":{"name":"l1"},"spec":{"watts":40}}""");
        var (created, before) = await Send(HttpMethod.Post, "apis/example.com/v1/namespaces/default/lamps", lamp);
        created.ShouldBe(201);
        before.At("spec.color").ShouldBeNull();

        var (_, crd) = await Send(HttpMethod.Get, "apis/apiextensions.k8s.io/v1/customresourcedefinitions/lamps.example.com");
        var updated = Crd(withDefault: true);
        updated["metadata"]!["resourceVersion"] = crd.Str("metadata.resourceVersion");
        (await Send(HttpMethod.Put, "apis/apiextensions.k8s.io/v1/customresourcedefinitions/lamps.example.com", updated)).Item1.ShouldBe(200);

        var (_, after) = await Send(HttpMethod.Get, "apis/example.com/v1/namespaces/default/lamps/l1");
        after.Str("spec.color").ShouldBe("white");
        after.Long("spec.watts").ShouldBe(40);
        after.Rv().ShouldBe(before.Rv());
    }
}
