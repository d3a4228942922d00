using System.Net;
using System.Text;

namespace ServerlessCapi.FleetTests.Harness;

/// <summary>Makes the management cluster unavailable to one client on demand: while <see cref="Down"/>, every request is
/// answered 503 with a Status body, as a kube-apiserver behind a load balancer answers while it is away.</summary>
internal sealed class ApiOutage : DelegatingHandler
{
    private volatile bool _down;
    private int _refused;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    /// <summary>Requests answered 503 so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!_down) return base.SendAsync(request, cancellationToken);
        Interlocked.Increment(ref _refused);
        const string status = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the server is currently unable to handle the request","reason":"ServiceUnavailable","code":503}""";
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        {
            RequestMessage = request,
            Content = new StringContent(status, Encoding.UTF8, "application/json"),
        });
    }
}
