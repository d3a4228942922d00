namespace ServerlessCapi.Workflows.Tests;

/// <summary>Tests that run several workers on one hub (child processes or hosts) and move partitions between them run
/// alone, not beside the other test classes: on an overloaded machine the table partition manager's storage calls
/// miss their 2-second budget, and DTFx was then seen to leave a message buffered for an entity session that never ran
/// again (each redelivery dropped as a duplicate of the buffered copy), stalling that object well past any timeout.</summary>
[CollectionDefinition(nameof(WorkerProcessCollection), DisableParallelization = true)]
public sealed class WorkerProcessCollection;
