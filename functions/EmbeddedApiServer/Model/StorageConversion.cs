using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Model;

/// <summary>How a resource that shares another resource's storage is converted to and from it (kube-apiserver's
/// internal version): events.k8s.io/v1 events are core v1 events seen through other field names.</summary>
public abstract class StorageConversion
{
    /// <summary>The <see cref="ResourceType.Key"/> of the resource whose store holds the objects.</summary>
    public abstract string StorageKey { get; }

    /// <summary>The apiVersion objects have in storage.</summary>
    public abstract string StorageApiVersion { get; }

    /// <summary>The object as stored, from the served form a client wrote (a fresh object; the input is not changed).</summary>
    /// <param name="create">The write creates the object: rules that hold only for objects created in this version apply.</param>
    public abstract JsonObject ToStorage(JsonObject served, bool create);

    /// <summary>The served form, with <paramref name="apiVersion"/>, of a stored object (a fresh object).</summary>
    public abstract JsonObject FromStorage(JsonObject stored, string apiVersion);
}
