using System.Net;
using System.Net.Sockets;

namespace ServerlessMobility.Testing;

public static class FreeTcpPort
{
    /// <summary>A loopback port that was free a moment ago (the OS picks it, so parallel runs do not collide).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
