using System.Net;
using ChatWeb.Server.Security;

namespace ChatWeb.Tests.Security;

/// <summary>The partition key of the sign-in budget: an IPv4 address, or the /64 an IPv6 address belongs to.</summary>
public sealed class ClientNetworkTests
{
    [Theory]
    [InlineData("2001:db8:7:1::1", "2001:db8:7:1:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8:7:1::1", "2001:DB8:7:1:8000::")]
    [InlineData("2001:db8:7:1::1", "2001:db8:7:1::")]
    [InlineData("fe80::1%2", "fe80::2%3")]
    [InlineData("203.0.113.9", "::ffff:203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "::ffff:cb00:7109")]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1")]
    public void AddressesOfOneNetworkShareAKey(string one, string other) =>
        Assert.Equal(ClientNetwork.Of(IPAddress.Parse(one)), ClientNetwork.Of(IPAddress.Parse(other)));

    [Theory]
    [InlineData("2001:db8:7:1::1", "2001:db8:7:2::1")]
    [InlineData("2001:db8:7:1::1", "2001:db8:8:1::1")]
    [InlineData("203.0.113.9", "203.0.113.10")]
    [InlineData("203.0.113.9", "::203.0.113.9")]
    [InlineData("0.0.0.0", "::")]
    [InlineData("::1", "127.0.0.1")]
    public void DifferentNetworksHaveDifferentKeys(string one, string other) =>
        Assert.NotEqual(ClientNetwork.Of(IPAddress.Parse(one)), ClientNetwork.Of(IPAddress.Parse(other)));

    [Fact]
    public void AnUnknownAddressIsOneNetworkOfItsOwnAndIsCounted()
    {
        Assert.Equal(ClientNetwork.Of(null), ClientNetwork.Of(null));
        Assert.NotEqual(ClientNetwork.NotCounted, ClientNetwork.Of(null));
        Assert.NotEqual(ClientNetwork.Of(IPAddress.Parse("203.0.113.9")), ClientNetwork.Of(null));
    }

    [Theory]
    [InlineData("2001:db8:7:1:aaaa:bbbb:cccc:dddd", "2001:db8:7:1::/64")]
    [InlineData("fe80::1%7", "fe80::/64")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("203.0.113.9", "203.0.113.9")]
    public void AKeyReadsAsTheNetwork(string address, string shown) =>
        Assert.Equal(shown, ClientNetwork.Of(IPAddress.Parse(address)).ToString());
}
