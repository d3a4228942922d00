using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.MachineSets;

/// <summary>The Events a MachineSet gets where CAPI's machineset-controller records them: each Machine created,
/// deleted or adopted, and (as CAPI's earlier releases did) a Warning when creating or deleting one fails.</summary>
public sealed partial class MachineSetReconciler
{
    /// <summary>Deletes a Machine of the set and says so on the set, as CAPI does for every deletion it asks for.</summary>
    private async Task DeleteMachineAsync(MachineSet ms, Api.Machine machine, CancellationToken ct)
    {
        try
        {
            if (!await Kube.DeleteAsync<Api.Machine>(ms.Metadata.NamespaceProperty, machine.Metadata.Name, machine.Metadata.Uid, ct: ct)) return;
        }
        catch (KubeApiException e)
        {
            await WarningEventAsync(ms, "FailedDelete", "Delete", $"Failed to delete Machine \"{machine.Metadata.Name}\": {e.Message}", ct);
            throw;
        }
        await NormalEventAsync(ms, "SuccessfulDelete", "Delete", $"Deleted Machine \"{machine.Metadata.Name}\"", ct);
    }

    private Task MachineCreatedAsync(MachineSet ms, string machine, CancellationToken ct) =>
        NormalEventAsync(ms, "SuccessfulCreate", "Create", $"Created Machine \"{machine}\"", ct);

    private Task MachineCreateFailedAsync(MachineSet ms, string machine, Exception e, CancellationToken ct) =>
        WarningEventAsync(ms, "FailedCreate", "Create", $"Failed to create Machine \"{machine}\": {e.Message}", ct);

    private Task MachineAdoptedAsync(MachineSet ms, string machine, CancellationToken ct) =>
        NormalEventAsync(ms, "SuccessfulAdopt", "Adopt", $"Adopted Machine \"{machine}\"", ct);
}
