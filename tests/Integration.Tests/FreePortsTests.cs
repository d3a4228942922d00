using ServerlessCapi.Local;

namespace ServerlessCapi.Integration.Tests;

public sealed class FreePortsTests
{
    [Fact]
    public void A_port_is_handed_out_once_however_many_callers_take_ports()
    {
        var seen = new HashSet<int>();
        for (var round = 0; round < 20; round++)
        {
            foreach (var port in FreePorts.Take(8).Append(FreePorts.Next()))
                seen.Add(port).ShouldBeTrue($"port {port} handed out twice");
        }
        seen.Count.ShouldBe(180);
    }
}
