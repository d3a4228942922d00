using System.Net;
using System.Net.Sockets;

namespace ServerlessCapi.Local;

/// <summary>Free loopback TCP ports, chosen once so a restarted child comes back on the same port.</summary>
/// <remarks>A port is free when chosen and stays unbound until its process starts, so the kernel may offer it again;
/// every port handed out is remembered and never handed out twice in this process (two callers each taking ports,
/// such as the local environment and the fleet benchmark's counters, once got the same one).</remarks>
public static class FreePorts
{
    private static readonly HashSet<int> Given = [];

    public static int Next() => Take(1)[0];

    /// <summary><paramref name="count"/> distinct free ports, none handed out before by this process.</summary>
    public static int[] Take(int count)
    {
        // Hold every listener until all are chosen so the kernel cannot offer the same port twice meanwhile.
        var listeners = new List<TcpListener>();
        var ports = new List<int>();
        lock (Given)
        {
            try
            {
                while (ports.Count < count)
                {
                    var l = new TcpListener(IPAddress.Loopback, 0);
                    l.Start();
                    listeners.Add(l);
                    var port = ((IPEndPoint)l.LocalEndpoint).Port;
                    if (Given.Add(port)) ports.Add(port);
                }
                return [.. ports];
            }
            finally
            {
                foreach (var l in listeners) l.Stop();
            }
        }
    }
}
