using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.KubeadmControlPlane;

namespace ServerlessCapi.Reconcilers.Tests.Providers.ControlPlane;

/// <summary>spec.rollout.after and spec.rollout.before.certificatesExpiryDays make Machines out of date.</summary>
public class RolloutTriggerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static Api.Machine Machine(string name, DateTime created, DateTime? expiry = null, string? annotation = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            CreationTimestamp = created,
            Annotations = annotation is null ? null : new Dictionary<string, string> { [CapiAnnotations.MachineCertificatesExpiry] = annotation },
        },
        Spec = new MachineSpec { ClusterName = "c1", Version = "v1.33.0" },
        Status = new MachineStatus { CertificatesExpiryDate = expiry },
    };

    private static ControlPlaneScope Scope(KubeadmControlPlaneRolloutSpec? rollout, IReadOnlyList<Api.Machine> machines,
        IReadOnlyDictionary<string, Api.KubeadmConfig>? configs = null) => new()
        {
            Kcp = new Api.KubeadmControlPlane
            {
                Metadata = new V1ObjectMeta { Name = "c1-cp", NamespaceProperty = "ns" },
                Spec = new KubeadmControlPlaneSpec { Version = "v1.33.0", Rollout = rollout },
            },
            Cluster = new Api.Cluster { Metadata = new V1ObjectMeta { Name = "c1", NamespaceProperty = "ns" } },
            Machines = machines,
            Configs = new HashSet<string>(),
            ConfigObjects = configs ?? new Dictionary<string, Api.KubeadmConfig>(),
            InfraMachines = new Dictionary<string, System.Text.Json.Nodes.JsonObject>(),
            Now = Now,
        };

    [Fact]
    public void Machines_created_before_a_passed_rollout_after_are_out_of_date()
    {
        var old = Machine("old", Now.UtcDateTime.AddDays(-2));
        var young = Machine("young", Now.UtcDateTime.AddHours(-1));
        var passed = Scope(new KubeadmControlPlaneRolloutSpec { After = Now.UtcDateTime.AddDays(-1) }, [old, young]);
        var future = Scope(new KubeadmControlPlaneRolloutSpec { After = Now.UtcDateTime.AddDays(1) }, [old, young]);

        passed.IsUpToDate(old).ShouldBeFalse();
        passed.OutdatedReason(old).ShouldBe("KubeadmControlPlane spec.rollout.after expired");
        passed.IsUpToDate(young).ShouldBeTrue();
        future.IsUpToDate(old).ShouldBeTrue("rollout.after has not come yet");
    }

    [Fact]
    public void Machines_whose_certificates_expire_within_the_days_are_out_of_date()
    {
        var soon = Machine("soon", Now.UtcDateTime.AddDays(-300), expiry: Now.UtcDateTime.AddDays(10));
        var later = Machine("later", Now.UtcDateTime.AddDays(-10), expiry: Now.UtcDateTime.AddDays(300));
        var unknown = Machine("unknown", Now.UtcDateTime.AddDays(-10));
        var scope = Scope(new KubeadmControlPlaneRolloutSpec { Before = new KubeadmControlPlaneRolloutBefore { CertificatesExpiryDays = 21 } }, [soon, later, unknown]);

        scope.IsUpToDate(soon).ShouldBeFalse();
        scope.OutdatedReason(soon).ShouldBe("Certificates will expire soon");
        scope.IsUpToDate(later).ShouldBeTrue();
        scope.IsUpToDate(unknown).ShouldBeTrue("no expiry recorded yet");
        Scope(null, [soon]).IsUpToDate(soon).ShouldBeTrue("no rollout.before set");
    }

    [Fact]
    public void The_expiry_is_read_from_the_machine_annotation_or_else_the_kubeadm_config_annotation()
    {
        var byMachine = Machine("m1", Now.UtcDateTime.AddDays(-300), annotation: "2026-12-05T00:00:00Z");
        var byConfig = Machine("m2", Now.UtcDateTime.AddDays(-300));
        var config = new Api.KubeadmConfig
        {
            Metadata = new V1ObjectMeta { Name = "m2", Annotations = new Dictionary<string, string> { [CapiAnnotations.MachineCertificatesExpiry] = "2026-12-06T00:00:00Z" } },
        };
        var scope = Scope(new KubeadmControlPlaneRolloutSpec { Before = new KubeadmControlPlaneRolloutBefore { CertificatesExpiryDays = 7 } },
            [byMachine, byConfig], new Dictionary<string, Api.KubeadmConfig> { ["m2"] = config });

        scope.CertificatesExpiry(byMachine).ShouldBe(new DateTime(2026, 12, 5, 0, 0, 0, DateTimeKind.Utc));
        scope.CertificatesExpiry(byConfig).ShouldBe(new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc));
        scope.IsUpToDate(byMachine).ShouldBeFalse();
        scope.IsUpToDate(byConfig).ShouldBeFalse();
    }
}
