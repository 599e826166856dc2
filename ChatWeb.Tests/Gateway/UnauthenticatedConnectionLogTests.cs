using ChatWeb.Server.Gateway;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Gateway;

/// <summary>Sockets that never sign in cost nothing to open: they must not be able to write the log as fast as they connect.</summary>
public sealed class UnauthenticatedConnectionLogTests
{
    [Fact]
    public async Task TwoHundredSilentTcpConnectsLogABoundedNumberOfLines()
    {
        await using var app = new ChatWebApplication();
        var lanes = Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var i = 0; i < 50; i++)
            {
                await using var client = await TcpTestClient.ConnectAsync(app);
                // The prompt proves the session is running; then the client leaves without a word.
                await client.ExpectAsync("Enter your name:");
            }
        });
        await Task.WhenAll(lanes);
        // Each session logs its last line before it stops counting as a connection.
        var status = app.Get<GatewayStatus>();
        await Wait.UntilAsync(() => status.Connections == 0, () => $"{status.Connections} connections still open");

        var lines = ServerLog.Lines(Path.Combine(app.DataDirectory, "log.txt"))
            .Where(line => line.Contains("TCP connection", StringComparison.Ordinal))
            .ToList();
        // The first 20 of the minute, opened and closed: 40 lines, not 400.
        Assert.Equal(40, lines.Count);
        Assert.Equal(20, lines.Count(line => line.EndsWith(" opened", StringComparison.Ordinal)));
    }
}
