using ChatWeb.Server.Chat;
using ChatWeb.Server.Control;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Control;

public sealed class StatusReportTests : ServerTest
{
    private StatusReport Report => App.Get<StatusReport>();

    [Fact]
    public async Task StatusCountsUsersPerTransportTodaysMessagesAndNamesTheListeningTcpPort()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        await alice.InvokeAsync("Send", "one");
        await alice.InvokeAsync("Send", "two");

        var status = Report.Read();

        Assert.Equal(2, status.MessagesToday);
        Assert.Equal(1, status.OnlineOver(MessageSource.Web));
        Assert.False(status.Paused);
        Assert.True(status.StorageHealthy);
        Assert.Contains(status.HttpAddresses, a => a.Contains("127.0.0.1"));
        Assert.True(status.LogFileBytes > 0);
        Assert.Equal(App.TcpPort(), status.TcpPort);
        Assert.True(status.TcpListening);
    }

    [Fact]
    public void APausedGatewayKeepsItsPortAndIsShownAsNotListening()
    {
        var port = App.TcpPort();
        App.Get<ServerControl>().Pause("test");

        var status = Report.Read();

        Assert.True(status.Paused);
        Assert.Equal(port, status.TcpPort);
        Assert.False(status.TcpListening);
        Assert.Equal($"{port} (not listening)", status.Tcp);
    }
}
