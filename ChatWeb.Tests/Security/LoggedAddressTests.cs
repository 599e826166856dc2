using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Security;

/// <summary>
/// The README promises the last IP of an account is kept only encrypted: log lines about a client show its
/// network (IPv4 /24, IPv6 /64), never its full address.
/// </summary>
public sealed class LoggedAddressTests
{
    [Fact]
    public async Task AnIPv4ConnectionAndARefusedOneLeaveNoFullClientAddressInTheLog()
    {
        await using var app = new ChatWebApplication(settings: new Dictionary<string, string?> { ["Gateway:MaxConnectionsPerIp"] = "1" });
        await using var first = await TcpTestClient.ConnectAsync(app);
        await first.ExpectAsync("Enter your name:");
        await using var second = await TcpTestClient.ConnectAsync(app);
        Assert.StartsWith("! ", await second.ReadLineAsync());

        var log = await ServerLog.WaitForAsync(LogOf(app), "refused: it already has 1 open");
        var clientLines = ClientLines(log);
        Assert.Contains(clientLines, line => line.Contains("from 127.0.0.x opened", StringComparison.Ordinal));
        Assert.Contains(clientLines, line => line.Contains("from 127.0.0.x refused", StringComparison.Ordinal));
        Assert.DoesNotContain(clientLines, line => line.Contains("127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnIPv6ConnectionIsLoggedByItsSlash64Only()
    {
        await using var app = new ChatWebApplication(settings: new Dictionary<string, string?> { ["Gateway:Address"] = "::1" });
        using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.IPv6Loopback, app.TcpPort());
        socket.Shutdown(SocketShutdown.Send);

        var log = await ServerLog.WaitForAsync(LogOf(app), "closed after");
        var clientLines = ClientLines(log);
        Assert.Contains(clientLines, line => line.Contains("from ::/64 opened", StringComparison.Ordinal));
        Assert.DoesNotContain(clientLines, line => Regex.IsMatch(line, @"(^|[^:])::1\b"));
    }

    private static string LogOf(ChatWebApplication app) => Path.Combine(app.DataDirectory, "log.txt");

    // The server's own listening address is fine to log; the lines about clients are the ones that must not name them.
    private static List<string> ClientLines(string log) =>
        log.Split('\n').Where(line => line.Contains("TCP connection", StringComparison.Ordinal)).ToList();
}
