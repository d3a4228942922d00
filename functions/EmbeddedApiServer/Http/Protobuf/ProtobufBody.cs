using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;

namespace ServerlessCapi.EmbeddedApiServer.Http.Protobuf;

/// <summary>Decodes a Kubernetes protobuf request body (the "k8s\0" envelope around runtime.Unknown) into JSON.</summary>
/// <remarks>kubectl's typed commands (create namespace, configmap, secret) send protobuf; only the kinds in
/// <see cref="ProtoSchemas"/> are understood, others get 415 as from a server without protobuf for them.</remarks>
public static class ProtobufBody
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";
    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4 || !body[..4].SequenceEqual(Magic))
            throw ApiException.BadRequest("the body of the request was not a Kubernetes protobuf envelope");
        string? apiVersion = null;
        string? kind = null;
        var raw = ReadOnlySpan<byte>.Empty;
        var r = new ProtoReader(body[4..]);
        while (r.More)
        {
            var (field, wire) = r.Tag();
            if (field == 1 && wire == 2)
            {
                var tm = new ProtoReader(r.Bytes());
                while (tm.More)
                {
                    var (f, w) = tm.Tag();
                    if (f == 1 && w == 2) apiVersion = Encoding.UTF8.GetString(tm.Bytes());
                    else if (f == 2 && w == 2) kind = Encoding.UTF8.GetString(tm.Bytes());
                    else tm.Skip(w);
                }
            }
            else if (field == 2 && wire == 2) raw = r.Bytes();
            else r.Skip(wire);
        }
        if (kind is null || !ProtoSchemas.ByKind.TryGetValue(kind, out var schema))
            throw ApiException.UnsupportedMediaType(ContentType);
        var obj = Message(raw, schema);
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    private static JsonObject Message(ReadOnlySpan<byte> data, ProtoMessage schema)
    {
        var obj = new JsonObject();
        var r = new ProtoReader(data);
        while (r.More)
        {
            var (number, wire) = r.Tag();
            if (!schema.Fields.TryGetValue(number, out var f))
            {
                r.Skip(wire);
                continue;
            }
            switch (f.Kind)
            {
                case FieldKind.String: obj[f.Name] = Encoding.UTF8.GetString(r.Bytes()); break;
                case FieldKind.Bytes: obj[f.Name] = Convert.ToBase64String(r.Bytes()); break;
                case FieldKind.Int: obj[f.Name] = (long)r.Varint(); break;
                case FieldKind.Bool: obj[f.Name] = r.Varint() != 0; break;
                case FieldKind.Time: obj[f.Name] = Time(r.Bytes()); break;
                case FieldKind.Message: obj[f.Name] = Message(r.Bytes(), f.Message!); break;
                case FieldKind.StringMap or FieldKind.BytesMap:
                    var map = obj[f.Name] as JsonObject ?? (JsonObject)(obj[f.Name] = new JsonObject());
                    var (key, value) = Entry(r.Bytes(), f.Kind == FieldKind.BytesMap);
                    map[key] = value;
                    break;
                case FieldKind.RepeatedString:
                    (obj[f.Name] as JsonArray ?? (JsonArray)(obj[f.Name] = new JsonArray())).Add(Encoding.UTF8.GetString(r.Bytes()));
                    break;
                case FieldKind.RepeatedMessage:
                    (obj[f.Name] as JsonArray ?? (JsonArray)(obj[f.Name] = new JsonArray())).Add(Message(r.Bytes(), f.Message!));
                    break;
            }
        }
        return obj;
    }

    private static (string Key, string Value) Entry(ReadOnlySpan<byte> data, bool bytesValue)
    {
        var key = "";
        var value = "";
        var r = new ProtoReader(data);
        while (r.More)
        {
            var (f, w) = r.Tag();
            if (f == 1 && w == 2) key = Encoding.UTF8.GetString(r.Bytes());
            else if (f == 2 && w == 2) value = bytesValue ? Convert.ToBase64String(r.Bytes()) : Encoding.UTF8.GetString(r.Bytes());
            else r.Skip(w);
        }
        return (key, value);
    }

    private static string Time(ReadOnlySpan<byte> data)
    {
        long seconds = 0;
        var r = new ProtoReader(data);
        while (r.More)
        {
            var (f, w) = r.Tag();
            if (f == 1 && w == 0) seconds = (long)r.Varint();
            else r.Skip(w);
        }
        return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
