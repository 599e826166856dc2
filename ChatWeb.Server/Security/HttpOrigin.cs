using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace ChatWeb.Server.Security;

/// <summary>
/// Web origins (RFC 6454) as browsers send them in <c>Origin</c>: <c>scheme://host[:port]</c>, http or https,
/// ASCII (hosts in punycode), nothing after the port. Anything else, <c>null</c> included, is no origin at all,
/// so it can never equal ours: Unicode look-alikes, user info, paths and lists are refused, not normalised.
/// </summary>
internal static class HttpOrigin
{
    /// <summary>The origin as <c>scheme://host:port</c> in lower case with the port always written, so equal origins compare equal as strings.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out string? origin)
    {
        origin = null;
        if (string.IsNullOrEmpty(text) || !text.All(c => c is > ' ' and < '\u007f')) return false;
        var authority = text.IndexOf("://", StringComparison.Ordinal) is var at and > 0 ? text[(at + 3)..] : "";
        if (authority.Length == 0 || authority.IndexOfAny(['/', '\\', '?', '#', '@', '%', ',']) >= 0) return false;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)) return false;
        origin = $"{uri.Scheme}://{uri.Host}:{uri.Port}".ToLowerInvariant();
        return true;
    }
}

/// <summary>Every entry is an absolute http(s) origin (see <see cref="HttpOrigin"/>); checked at start-up.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class HttpOriginsAttribute(string key) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var invalid = (value as IEnumerable<string> ?? []).Where(entry => !HttpOrigin.TryParse(entry, out _)).ToList();
        return invalid.Count == 0
            ? ValidationResult.Success
            : new ValidationResult(
                $"{key} holds {string.Join(", ", invalid.Select(entry => $"'{entry}'"))}: each entry must be an absolute http or https origin, " +
                "scheme and host with an optional port and nothing after it (https://chat.example.org, http://localhost:8080).",
                [validationContext.MemberName ?? key]);
    }
}
