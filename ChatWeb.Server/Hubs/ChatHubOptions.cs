using System.ComponentModel.DataAnnotations;

namespace ChatWeb.Server.Hubs;

/// <summary>The <c>Hub</c> section: the chat hub's counterpart of the gateway's limits.</summary>
public sealed class ChatHubOptions
{
    public const string Section = "Hub";

    /// <summary>Room events that may wait for a web client that reads slowly before it is disconnected; 0 = no limit.</summary>
    [Range(0, 1_000_000)]
    public int SendQueueLimit { get; set; } = 1000;
}
