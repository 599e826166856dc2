using System.ComponentModel.DataAnnotations;

namespace ChatWeb.Server.Security;

public sealed class SecurityOptions : IValidatableObject
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

    // Checked at start-up: the forwarded-headers middleware parses these on the first request, which would fail every request.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < KnownProxies.Length; i++)
        {
            if (!System.Net.IPAddress.TryParse(KnownProxies[i], out _))
                yield return new ValidationResult($"setting {Section}:{nameof(KnownProxies)}:{i} is '{KnownProxies[i]}'; allowed: an IP address such as 10.0.0.2 or fd00::2.", [nameof(KnownProxies)]);
        }
    }
}
