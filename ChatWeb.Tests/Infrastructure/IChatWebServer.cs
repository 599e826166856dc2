namespace ChatWeb.Tests.Infrastructure;

/// <summary>
/// A running ChatWeb that tests reach over the network: in this process (<see cref="ChatWebApplication"/>)
/// or as its own process (<see cref="ServerProcess"/>). <see cref="Api"/> and <see cref="HubTestClient"/> work with either.
/// </summary>
public interface IChatWebServer
{
    /// <summary>The real HTTP address (http://127.0.0.1:port).</summary>
    Uri BaseAddress { get; }
}
