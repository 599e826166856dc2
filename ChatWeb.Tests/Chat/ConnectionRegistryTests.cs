using ChatWeb.Server.Chat;

namespace ChatWeb.Tests.Chat;

public sealed class ConnectionRegistryTests
{
    private sealed record FakeConnection(string Id, string UserName) : IChatConnection
    {
        public Transport Transport => Transport.Tcp;
        public Task CloseAsync(string reason) => Task.CompletedTask;
    }

    [Fact]
    public void ASnapshotStaysAsItWasWhileConnectionsComeAndGo()
    {
        var registry = new ConnectionRegistry();
        var all = Enumerable.Range(0, 40).Select(i => new FakeConnection($"c{i}", $"user{i % 7}")).ToList();
        foreach (var connection in all.Take(20)) registry.Add(connection);
        var before = registry.Connections;

        foreach (var connection in all.Skip(20)) registry.Add(connection);
        registry.Remove(all[3]);
        registry.Remove(all[25]);

        Assert.Equal(all.Take(20), before);
        Assert.Equal(all.Where(c => c != all[3] && c != all[25]).OrderBy(c => c.Id), registry.Connections.OrderBy(c => c.Id));
        Assert.True(registry.IsOnline("user3"));
        Assert.False(registry.Remove(all[3]));
    }
}
