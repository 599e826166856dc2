using System.ComponentModel.DataAnnotations;

namespace ChatWeb.Server.Security;

public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Sign-in and registration attempts per minute from one client network (IPv4 address or IPv6 /64), over HTTP and TCP together; 0 turns the limit off.</summary>
    [Range(0, int.MaxValue)]
    public int SignInAttemptsPerMinutePerIp { get; set; } = 30;

    /// <summary>Reverse proxies whose X-Forwarded-For is trusted; from anyone else the header is ignored.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Origins besides the server's own whose pages may open the hubs (<c>https://chat.example.org</c>); empty: our own only.</summary>
    [HttpOrigins("Security:AllowedOrigins")]
    public string[] AllowedOrigins { get; set; } = [];
}
