using System.Net;
using ChatWeb.Server.Security;

namespace ChatWeb.Tests.Security;

/// <summary>How a client address looks in a log line: its network, never the address itself.</summary>
public sealed class MaskedAddressTests
{
    [Theory]
    [InlineData("203.0.113.77", "203.0.113.x")]
    [InlineData("::ffff:203.0.113.77", "203.0.113.x")]
    [InlineData("127.0.0.1", "127.0.0.x")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("fe80::1234:5678:9abc:def0%2", "fe80::/64")]
    [InlineData("::1", "::/64")]
    public void AddressesAreMaskedToTheirNetwork(string address, string masked) =>
        Assert.Equal(masked, MaskedAddress.Of(IPAddress.Parse(address)));

    [Fact]
    public void AnEndpointIsMaskedWithoutItsPort() =>
        Assert.Equal("198.51.100.x", MaskedAddress.Of(new IPEndPoint(IPAddress.Parse("198.51.100.200"), 40000)));
}
