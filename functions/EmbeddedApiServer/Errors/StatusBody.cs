using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Errors;

/// <summary>Builds metav1 Status objects the way kube-apiserver shapes them.</summary>
public static class StatusBody
{
    public static JsonObject Failure(int code, string reason, string message, StatusDetails? details)
    {
        var status = Envelope();
        status["status"] = "Failure";
        status["message"] = message;
        if (reason.Length > 0) status["reason"] = reason;
        if (details is not null) status["details"] = Details(details);
        status["code"] = code;
        return status;
    }

    public static JsonObject Success(StatusDetails details)
    {
        var status = Envelope();
        status["status"] = "Success";
        status["details"] = Details(details);
        return status;
    }

    private static JsonObject Envelope() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
    };

    private static JsonObject Details(StatusDetails d)
    {
        var o = new JsonObject();
        if (d.Name is not null) o["name"] = d.Name;
        if (d.Group.Length > 0) o["group"] = d.Group;
        o["kind"] = d.Kind;
        if (d.Uid is not null) o["uid"] = d.Uid;
        if (d.Causes.Count > 0)
        {
            var causes = new JsonArray();
            foreach (var c in d.Causes)
                causes.Add(new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field });
            o["causes"] = causes;
        }
        return o;
    }
}
