using System.Net;
using System.Net.Sockets;

namespace ChatWeb.Server.Security;

/// <summary>
/// Whose sign-in budget an attempt spends: the client's IPv4 address, or the /64 its IPv6 address lies in.
/// One IPv6 subscriber is handed at least a whole /64, so counting single IPv6 addresses would give one
/// attacker 2^64 budgets. An IPv4 client seen through a dual-mode socket (<c>::ffff:a.b.c.d</c>) is a.b.c.d.
/// </summary>
public readonly record struct ClientNetwork
{
    private const int Ipv6PrefixBytes = 8;

    private readonly IPAddress? _network;

    private ClientNetwork(IPAddress network) => _network = network;

    /// <summary>The key of requests that spend nothing (reading a form); never the key of a real client.</summary>
    public static ClientNetwork NotCounted => default;

    /// <summary>The network of <paramref name="address"/>; an unknown address (no socket peer) is one network of its own.</summary>
    public static ClientNetwork Of(IPAddress? address)
    {
        if (address is null) return new(IPAddress.None);
        if (address.IsIPv4MappedToIPv6) return new(address.MapToIPv4());
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return new(address);

        // The interface half and the scope id (which interface a link-local address came in on) are dropped.
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[Ipv6PrefixBytes..].Clear();
        return new(new IPAddress(bytes));
    }

    public override string ToString() => _network switch
    {
        null => "not counted",
        { AddressFamily: AddressFamily.InterNetworkV6 } => $"{_network}/{Ipv6PrefixBytes * 8}",
        _ => _network.ToString(),
    };
}
