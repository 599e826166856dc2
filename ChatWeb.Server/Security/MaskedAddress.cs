using System.Net;

namespace ChatWeb.Server.Security;

/// <summary>
/// A client address as log lines show it: enough to tell networks apart and see a flood, not enough to name a
/// person (the full last IP of an account is kept only encrypted, in logins.csv). IPv4 keeps its first three
/// octets (203.0.113.x), IPv6 its /64 (2001:db8:1:2::/64), the usual size of one customer's network.
/// </summary>
public static class MaskedAddress
{
    public static string Of(EndPoint? endpoint) => Of((endpoint as IPEndPoint)?.Address);

    public static string Of(IPAddress? address)
    {
        if (address is null) return "?";
        // An IPv4 client of a dual-mode socket arrives as ::ffff:a.b.c.d; mask it as the IPv4 address it is.
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            return $"{bytes[0]}.{bytes[1]}.{bytes[2]}.x";
        // Zone ids (fe80::1%eth0) go too: GetAddressBytes has none, and the new address is built without one.
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
