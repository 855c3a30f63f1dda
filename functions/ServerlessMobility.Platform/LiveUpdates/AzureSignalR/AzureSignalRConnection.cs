using System.Globalization;

namespace ServerlessMobility.Platform.LiveUpdates.AzureSignalR;

/// <summary>
/// An Azure SignalR Service connection string (<c>Endpoint=https://{name}.service.signalr.net;AccessKey={key};Version=1.0;</c>,
/// optionally <c>Port=</c>), read once at start-up so a wrong setting stops the app there rather than at the first change.
/// </summary>
/// <param name="Endpoint">The service's public address: clients connect to it and tokens name it as their audience.</param>
/// <param name="ServerEndpoint">Where this app calls the REST API: <paramref name="Endpoint"/>, on <c>Port</c> when one is given.</param>
public sealed record AzureSignalRConnection(Uri Endpoint, Uri ServerEndpoint, string AccessKey)
{
    /// <summary>The parsed string, with messages that name the key at fault and never repeat the secret.</summary>
    /// <exception cref="FormatException">The string is not an access-key connection string of version 1.0.</exception>
    public static AzureSignalRConnection Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("The Azure SignalR connection string is empty.");
        }

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("The Azure SignalR connection string has a part without 'key=value'; expected Endpoint=https://...;AccessKey=...;Version=1.0;");
            }

            // An access key is base64 and may end in '=': only the first '=' separates the key from its value.
            if (!parts.TryAdd(part[..equals].Trim(), part[(equals + 1)..].Trim()))
            {
                throw new FormatException($"The Azure SignalR connection string names '{part[..equals].Trim()}' twice.");
            }
        }

        if (!parts.TryGetValue("Endpoint", out var endpointText) || !Uri.TryCreate(endpointText.TrimEnd('/'), UriKind.Absolute, out var endpoint)
            || endpoint.Scheme is not ("https" or "http") || endpoint.AbsolutePath != "/" || endpoint.Query.Length > 0)
        {
            throw new FormatException("The Azure SignalR connection string needs Endpoint=https://{name}.service.signalr.net (an absolute http(s) address without a path).");
        }

        // Entra ID connection strings (AuthType=azure.msi) carry no key; negotiating here signs client tokens, which takes one.
        if (parts.TryGetValue("AuthType", out var authType) && authType.Length > 0)
        {
            throw new FormatException($"The Azure SignalR connection string has AuthType={authType}; this adapter signs with the access key (AccessKey=...).");
        }

        if (!parts.TryGetValue("AccessKey", out var accessKey) || accessKey.Length == 0)
        {
            throw new FormatException("The Azure SignalR connection string has no AccessKey.");
        }

        if (parts.TryGetValue("Version", out var version) && version != "1.0")
        {
            throw new FormatException($"The Azure SignalR connection string has Version={version}; only 1.0 is known.");
        }

        var server = endpoint;
        if (parts.TryGetValue("Port", out var portText))
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new FormatException("The Azure SignalR connection string has a Port that is not a number from 1 to 65535.");
            }

            server = new UriBuilder(endpoint) { Port = port }.Uri;
        }

        return new AzureSignalRConnection(endpoint, server, accessKey);
    }

    /// <summary>Without the key, for logs.</summary>
    public override string ToString() => $"Azure SignalR at {Endpoint}";
}
