using System.Net;

namespace ChatWeb.Server.Gateway;

/// <summary>Counts open connections per client address, so one address cannot take every socket the server has.</summary>
internal sealed class ConnectionsPerIp(int max)
{
    private readonly Dictionary<IPAddress, int> _open = [];

    /// <summary>Counts a new connection; false (and not counted) when the address already has <c>max</c>. Always true when max is 0.</summary>
    public bool TryOpen(IPAddress address)
    {
        if (max <= 0) return true;
        lock (_open)
        {
            var open = _open.GetValueOrDefault(address);
            if (open >= max) return false;
            _open[address] = open + 1;
            return true;
        }
    }

    public void Close(IPAddress address)
    {
        if (max <= 0) return;
        lock (_open)
        {
            if (!_open.TryGetValue(address, out var open)) return;
            if (open <= 1) _open.Remove(address);
            else _open[address] = open - 1;
        }
    }

    /// <summary>IPv4 clients of a dual-mode socket show up as ::ffff:a.b.c.d; they count as a.b.c.d.</summary>
    public static IPAddress KeyOf(IPAddress? address) =>
        address is null ? IPAddress.None : address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
