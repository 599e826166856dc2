namespace ChatWeb.Server.Control;

/// <summary>The TCP port the gateway listens on, for the status view; null while it is not listening.</summary>
public interface ITcpEndpoint
{
    int? Port { get; }
}
