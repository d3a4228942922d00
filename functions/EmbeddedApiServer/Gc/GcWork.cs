namespace ServerlessCapi.EmbeddedApiServer.Gc;

/// <summary>What the garbage collector is asked to look at.</summary>
public enum GcWorkKind
{
    /// <summary>An object with dependents was removed (Subject = its uid).</summary>
    OwnerGone,

    /// <summary>An owner carries the foregroundDeletion or orphan finalizer (Subject = its uid).</summary>
    OwnerDeleting,

    /// <summary>A namespace is terminating or lost an object (Subject = namespace name).</summary>
    NamespaceTerminating,

    /// <summary>A CRD is being deleted or lost an instance (Subject = CRD name).</summary>
    CrdTerminating,
}

/// <summary>One unit of garbage-collection work.</summary>
public readonly record struct GcWork(GcWorkKind Kind, string Subject);
