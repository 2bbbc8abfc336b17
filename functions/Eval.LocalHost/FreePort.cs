using System.Net;
using System.Net.Sockets;

namespace Eval.LocalHost;

/// <summary>
/// A port nothing listens on, for a listener the tests and the bench start (Azurite, a local host, its sidecar). It
/// is taken below the kernel's ephemeral range: a port the kernel hands out (port 0) is free only until it hands it
/// out again, as the local end of some outgoing connection (an HTTP call to Azurite), and a host given that port
/// then fails to bind (seen in CI). Ports below the range are never used that way. Each is handed out once per process.
/// </summary>
public static class FreePort
{
    const int Lowest = 10_000;
    static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        int below = EphemeralRangeStart();
        lock (HandedOut)
        {
            for (int attempt = 0; attempt < 200 && below - Lowest > 1_000; attempt++)
            {
                int port = Random.Shared.Next(Lowest, below);
                if (HandedOut.Contains(port) || !CanListen(port)) continue;
                HandedOut.Add(port);
                return port;
            }
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0); // no room below the range: let the kernel choose
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static bool CanListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }

    /// <summary>The first port of Linux's ip_local_port_range (32768 by default; IANA's 49152 elsewhere).</summary>
    static int EphemeralRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(range)
            && int.TryParse(File.ReadAllText(range).Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out int start))
            return start;
        return 49_152;
    }
}
