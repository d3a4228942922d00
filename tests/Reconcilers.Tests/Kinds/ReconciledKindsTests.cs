using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Kube.Relay;
using ServerlessCapi.Local;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;
using ServerlessCapi.Reconcilers.Kinds;

namespace ServerlessCapi.Reconcilers.Tests.Kinds;

/// <summary>The registry of reconciled kinds is the one list: the relay, the routes, the workflow registrations and
/// the CRDs agree with it, and every field a reconciler declares it reads is covered by what wakes it.</summary>
public class ReconciledKindsTests
{
    private static readonly string[] Kinds = [.. ReconciledKinds.All.Select(k => k.Kind)];

    [Fact]
    public void The_relay_watches_exactly_the_reconciled_kinds_with_their_references_and_the_aspects()
    {
        var options = new RelayOptions();
        ReconciledKinds.ConfigureRelay(options);

        options.WatchedKinds.Select(k => k.Kind).ShouldBe(Kinds);
        foreach (var (watched, kind) in options.WatchedKinds.Zip(ReconciledKinds.All))
        {
            (watched.Group, watched.Version, watched.Plural).ShouldBe((kind.Info.Group, kind.Info.Version, kind.Info.Plural));
            watched.References.ShouldBe(kind.References);
        }
        options.Aspects.Select(a => a.Name).ShouldBe([CapiAspects.Availability.Name, CapiAspects.Initialization.Name]);
    }

    [Fact]
    public void The_routes_reconcile_exactly_the_reconciled_kinds_and_relate_only_them()
    {
        var routes = ReconciledKinds.Routes();

        routes.Workflows.Keys.Order(StringComparer.Ordinal).ShouldBe(Kinds.Order(StringComparer.Ordinal));
        foreach (var kind in ReconciledKinds.All) routes.WorkflowFor(kind.Kind).ShouldBe(kind.Kind);
        routes.Rules.Count.ShouldBe(ReconciledKinds.All.Sum(k => k.WokenBy.Count));
        foreach (var kind in ReconciledKinds.All)
        {
            foreach (var rule in kind.WokenBy)
            {
                rule.Target.ShouldBe(kind.Kind, $"a rule of {kind.Kind} wakes {rule.Target}");
                ReconciledKinds.IsReconciled(rule.Source).ShouldBeTrue($"{kind.Kind} is woken by {rule.Source}, which is not watched");
                if (rule.Via == WakeVia.Reference)
                    ReconciledKinds.Find(rule.Source)!.References.ShouldNotBeEmpty($"{rule.Source} names no objects waiting on it");
            }
        }
    }

    [Fact]
    public void The_durable_side_hosts_one_reconciler_per_reconciled_kind_reconciling_that_kind()
    {
        var services = new ServiceCollection();
        services.AddReconcilers();

        var registered = services.Where(d => d.ServiceType == typeof(ReconcilerType))
            .Select(d => ((ReconcilerType)d.ImplementationInstance!).Type).ToList();
        registered.ShouldBe(ReconciledKinds.All.Select(k => k.Reconciler));
        services.ShouldContain(d => d.ServiceType == typeof(Workflows.Reconcile.IObjectReconcile) && d.ImplementationType == typeof(KindReconcile));
        foreach (var kind in ReconciledKinds.All)
            ReconciledType(kind.Reconciler).ShouldBe(kind.Info.ClrType, $"{kind.Reconciler.Name} reconciles another kind than {kind.Kind}");
    }

    [Fact]
    public void Every_reconciled_kind_is_served_and_has_a_checked_in_crd()
    {
        foreach (var kind in ReconciledKinds.All)
        {
            CapiKinds.All.ShouldContain(kind.Info);
            File.Exists(Path.Combine(RepoPaths.Root, "infra", "crds", $"{kind.Info.Group}_{kind.Info.Plural}.yaml")).ShouldBeTrue($"no CRD for {kind.Kind}");
        }
    }

    [Fact]
    public void Every_field_a_reconciler_reads_of_another_kind_is_covered_by_a_change_that_wakes_it()
    {
        var gaps = new List<string>();
        foreach (var reader in ReconciledKinds.All)
        {
            foreach (var read in reader.Reads.Where(r => r.WokenOtherwise is null))
            {
                var rules = reader.WokenBy.Where(r => r.Source == read.Kind).ToList();
                foreach (var field in read.Fields.Where(f => !rules.Any(r => r.EffectiveWhen.Any(aspect => Covers(aspect, f)))))
                    gaps.Add($"{reader.Kind} reads {read.Kind} {field}, but no change of it wakes {reader.Kind}");
            }
        }
        gaps.ShouldBeEmpty();
    }

    [Fact]
    public void Rules_fire_only_on_aspects_the_relay_reports()
    {
        var known = CapiAspects.All.Select(a => a.Name).Append(ObjectAspects.Meta).Append(ObjectAspects.Status).ToHashSet();
        foreach (var rule in ReconciledKinds.All.SelectMany(k => k.WokenBy))
            rule.EffectiveWhen.ShouldAllBe(a => known.Contains(a));
    }

    [Fact]
    public void The_coverage_check_notices_a_read_no_rule_covers()
    {
        // Machine hears of its Cluster's metadata and milestones, not of its conditions.
        Covers(CapiAspects.Initialization.Name, "status.conditions.Ready").ShouldBeFalse();
        Covers(ObjectAspects.Meta, "status.initialization").ShouldBeFalse();
        ReconciledKinds.Machine.WokenBy.Where(r => r.Source == Cluster.KubeKind)
            .Any(r => r.EffectiveWhen.Any(a => Covers(a, "status.conditions.Ready"))).ShouldBeFalse();
    }

    [Fact]
    public void Reconcilers_do_not_know_the_engine_that_hosts_them()
    {
        // Only the host adapter and what drives hosts from outside (the admin API, the probe timer) may use the engine.
        var root = Path.Combine(RepoPaths.Root, "functions", "Reconcilers");
        var allowed = new[] { Path.Combine(root, "Hosting") + Path.DirectorySeparatorChar, Path.Combine(root, "Admin") + Path.DirectorySeparatorChar };
        var offenders = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !allowed.Any(a => f.StartsWith(a, StringComparison.Ordinal)))
            .Where(f => File.ReadAllText(f).Contains("ServerlessCapi.Durable", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f))
            .ToList();
        offenders.ShouldBeEmpty();
    }

    /// <summary>Whether a change touching <paramref name="aspect"/> is what changes <paramref name="field"/>: metadata
    /// covers the metadata and the spec (a spec change moves the generation), status all of the status.</summary>
    private static bool Covers(string aspect, string field) => aspect switch
    {
        ObjectAspects.Meta => field.StartsWith("metadata.", StringComparison.Ordinal) || field.StartsWith("spec.", StringComparison.Ordinal),
        ObjectAspects.Status => field.StartsWith("status.", StringComparison.Ordinal),
        _ => CapiAspects.All.Single(a => a.Name == aspect).Covers(field),
    };

    private static Type? ReconciledType(Type reconciler)
    {
        for (var t = reconciler; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ObjectReconciler<>)) return t.GetGenericArguments()[0];
        }
        return null;
    }
}
