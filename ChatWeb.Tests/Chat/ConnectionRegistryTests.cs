using ChatWeb.Server.Chat;

namespace ChatWeb.Tests.Chat;

public sealed class ConnectionRegistryTests
{
    private sealed record Connection(string Id, string UserName, Transport Transport) : IChatConnection
    {
        public Task CloseAsync(string reason) => Task.CompletedTask;
    }

    [Fact]
    public void PresenceFollowsEveryConnectionOfEveryUserSortedByNameInAnyCase()
    {
        var registry = new ConnectionRegistry();
        var bobWeb = new Connection("1", "bob", Transport.Web);
        var aliceTcp = new Connection("2", "Alice", Transport.Tcp);
        var bobTcp = new Connection("3", "BOB", Transport.Tcp);
        var carol = new Connection("4", "carol", Transport.Web);

        Assert.True(registry.Add(bobWeb));
        Assert.True(registry.Add(aliceTcp));
        Assert.False(registry.Add(bobTcp));
        Assert.True(registry.Add(carol));
        Assert.Equal(["Alice:Tcp", "bob:Web,Tcp", "carol:Web"], Describe(registry.Online()));
        Assert.Equal([Transport.Web, Transport.Tcp], registry.Find("BoB")!.Transports);

        // A list handed out earlier stays as it was: it is a snapshot.
        var before = registry.Online();
        Assert.False(registry.Remove(bobWeb));
        Assert.Equal(["Alice:Tcp", "BOB:Tcp", "carol:Web"], Describe(registry.Online()));
        Assert.Equal(["Alice:Tcp", "bob:Web,Tcp", "carol:Web"], Describe(before));

        Assert.True(registry.Remove(bobTcp));
        Assert.False(registry.Remove(bobTcp));
        Assert.Null(registry.Find("bob"));
        Assert.False(registry.IsOnline("bob"));
        Assert.Equal(["Alice:Tcp", "carol:Web"], Describe(registry.Online()));
        Assert.Equal(["2", "4"], registry.Connections.Select(c => c.Id).Order());
    }

    private static List<string> Describe(IReadOnlyList<OnlineUser> users) =>
        [.. users.Select(u => $"{u.UserName}:{string.Join(',', u.Transports)}")];
}
