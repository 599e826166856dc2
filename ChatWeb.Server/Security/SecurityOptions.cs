using System.ComponentModel.DataAnnotations;

namespace ChatWeb.Server.Security;

public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Sign-in and registration attempts per minute from one IP, over HTTP and TCP together; 0 turns the limit off.</summary>
    [Range(0, int.MaxValue)]
    public int SignInAttemptsPerMinutePerIp { get; set; } = 30;

    /// <summary>Reverse proxies whose X-Forwarded-For is trusted; from anyone else the header is ignored.</summary>
    public string[] KnownProxies { get; set; } = [];
}
