using System.Net;
using System.Net.Sockets;

namespace ChatWeb.Server.Security;

/// <summary>
/// A client address as log lines show it: enough to tell networks apart and see a flood, not enough to name a
/// person (the full last IP of an account is kept only encrypted, in logins.csv). IPv4 keeps its first three
/// octets (203.0.113.x); IPv6 shows the /64 that also counts as one client for the sign-in budget
/// (<see cref="ClientNetwork"/>: 2001:db8:1:2::/64, zone ids dropped).
/// </summary>
public static class MaskedAddress
{
    public static string Of(EndPoint? endpoint) => Of((endpoint as IPEndPoint)?.Address);

    public static string Of(IPAddress? address)
    {
        if (address is null) return "?";
        // An IPv4 client of a dual-mode socket arrives as ::ffff:a.b.c.d; mask it as the IPv4 address it is.
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetwork) return ClientNetwork.Of(address).ToString();
        var bytes = address.GetAddressBytes();
        return $"{bytes[0]}.{bytes[1]}.{bytes[2]}.x";
    }
}
