using System.Net;
using System.Net.Sockets;
using ChatWeb.Server.Hosting;

namespace ChatWeb.Server.Gateway;

/// <summary>Takes the configured port, or the next free one within <see cref="GatewayOptions.PortAttempts"/>, and says which.</summary>
internal static partial class PortBinder
{
    /// <exception cref="StartupException">No port in the range is free (or the address cannot be used): start-up stops with the reason.</exception>
    public static TcpListener BindFirstFree(GatewayOptions options, ILogger logger)
    {
        var address = options.GetListenAddress();
        if (options.Port == 0) return Announce(Listen(address, 0), movedFrom: null, logger);

        var last = Math.Min(IPEndPoint.MaxPort, options.Port + options.PortAttempts - 1);
        for (var port = options.Port; port <= last; port++)
        {
            try
            {
                return Announce(Listen(address, port), movedFrom: port == options.Port ? null : options.Port, logger);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                LogPortBusy(logger, port);
            }
            catch (SocketException ex)
            {
                throw new StartupException($"The TCP gateway cannot listen on {address}:{port}: {ex.Message}. Check Gateway:Address and Gateway:Port.", ex);
            }
        }
        throw new StartupException(
            $"The TCP gateway cannot listen: ports {options.Port}-{last} on {address} are all in use. " +
            "Free one of them, or choose others with Gateway:Port and Gateway:PortAttempts.");
    }

    /// <summary>A started listener on exactly this address and port (<c>::</c> also takes IPv4 clients).</summary>
    public static TcpListener Listen(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        if (address.Equals(IPAddress.IPv6Any)) listener.Server.DualMode = true;
        try
        {
            listener.Start(backlog: 512);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private static TcpListener Announce(TcpListener listener, int? movedFrom, ILogger logger)
    {
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        // Printed as well as logged: the operator must learn the port even with console logging switched off.
        if (movedFrom is { } busy)
        {
            Console.WriteLine($"TCP gateway listening on {endpoint} (port {busy} was busy)");
            LogListeningMoved(logger, endpoint.ToString(), busy);
        }
        else
        {
            Console.WriteLine($"TCP gateway listening on {endpoint}");
            LogListening(logger, endpoint.ToString());
        }
        return listener;
    }

    [LoggerMessage(LogLevel.Information, "TCP gateway listening on {Endpoint}")]
    private static partial void LogListening(ILogger logger, string endpoint);

    [LoggerMessage(LogLevel.Warning, "TCP gateway listening on {Endpoint}: port {BusyPort} was busy")]
    private static partial void LogListeningMoved(ILogger logger, string endpoint, int busyPort);

    [LoggerMessage(LogLevel.Information, "TCP port {Port} is busy; trying the next one")]
    private static partial void LogPortBusy(ILogger logger, int port);
}
