using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ChatWeb.Server.Gateway;

/// <summary>The <c>Gateway</c> section. Limits take 0 for "off".</summary>
public sealed class GatewayOptions : IValidatableObject
{
    public const string Section = "Gateway";

    /// <summary>The TCP port to listen on; if it is busy the next ones are tried. 0 = any free port (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 5555;

    /// <summary>How many ports, from <see cref="Port"/> up, are tried before start-up fails.</summary>
    [Range(1, 1000)]
    public int PortAttempts { get; set; } = 10;

    /// <summary>The local address to listen on: <c>0.0.0.0</c> (every IPv4 interface), <c>127.0.0.1</c>, <c>::</c>, ...</summary>
    [Required]
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>
    /// Longest line a client may send, in bytes without its line end (8192 holds 2000 characters of any script).
    /// Not switchable off: it is also what bounds the memory one connection can make the server hold.
    /// </summary>
    [Range(64, 1024 * 1024)]
    public int MaxLineBytes { get; set; } = 8192;

    /// <summary>Lines that may wait for a client that reads slowly before it is disconnected; 0 = no limit.</summary>
    [Range(0, 1_000_000)]
    public int SendQueueLimit { get; set; } = 1000;

    /// <summary>Open connections (signed in or not) from one IP address; 0 = no limit.</summary>
    [Range(0, 100_000)]
    public int MaxConnectionsPerIp { get; set; } = 20;

    /// <summary>Seconds a new connection has to sign in before it is closed; 0 = no limit.</summary>
    [Range(0, 24 * 3600)]
    public int LoginTimeoutSeconds { get; set; } = 60;

    public IPAddress GetListenAddress() => IPAddress.Parse(Address);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(Address, out _))
            yield return new ValidationResult($"Gateway:Address '{Address}' is not an IP address (for example 0.0.0.0 or 127.0.0.1).", [nameof(Address)]);
    }
}
