using System.Net;
using System.Net.Sockets;

namespace ServerlessMobility.Testing;

public static class FreeTcpPort
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A loopback port that was free a moment ago (the OS picks it, so parallel runs rarely collide), and never one
    /// this process handed out before: the OS may offer a port again as soon as it is released, and two services
    /// started side by side (Azurite's blob and table) must not both be told to bind it.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, Func<bool>? hasExited = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && hasExited?.Invoke() != true)
            {
                await Task.Delay(50);
            }
        }
    }
}
