using System.Net;
using System.Net.Sockets;
using ChatWeb.Server.Chat;
using ChatWeb.Server.Gateway;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Gateway;

/// <summary>Where and when the gateway listens, and who it lets in: ports, pause, per-address cap, sign-in deadline.</summary>
public sealed class TcpListenerTests
{
    [Fact]
    public async Task BusyPortMakesTheServerTakeTheNextOneAndSaySoOnTheConsoleAndInTheLog()
    {
        using var holder = HoldFreePort();
        var busy = ((IPEndPoint)holder.LocalEndpoint).Port;
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path, $"--Gateway:Port={busy}");

        var said = System.Text.RegularExpressions.Regex.Match(server.Output, @"^TCP gateway listening on 127\.0\.0\.1:(\d+) \(port (\d+) was busy\)$", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(said.Success, server.Output);
        var taken = int.Parse(said.Groups[1].Value);
        Assert.Equal(busy, int.Parse(said.Groups[2].Value));
        Assert.InRange(taken, busy + 1, busy + 9);

        Assert.Contains($"TCP gateway listening on 127.0.0.1:{taken}: port {busy} was busy", await File.ReadAllTextAsync(Path.Combine(data.Path, "log.txt")));
        await using var client = await TcpTestClient.ConnectAsync(taken);
        await client.ExpectAsync("Enter your name:");
    }

    [Fact]
    public async Task StartupFailsWithOneClearLineWhenEveryPortIsBusy()
    {
        var (first, second) = HoldTwoAdjacentPorts();
        using var data = new TempDirectory();
        try
        {
            var port = ((IPEndPoint)first.LocalEndpoint).Port;

            var (exitCode, output) = await ServerProcess.RunUntilExitAsync(data.Path, $"--Gateway:Port={port}", "--Gateway:PortAttempts=2");

            Assert.Equal(1, exitCode);
            Assert.Contains($"ChatWeb did not start: The TCP gateway cannot listen: ports {port}-{port + 1} on 127.0.0.1 are all in use. " +
                "Free one of them, or choose others with Gateway:Port and Gateway:PortAttempts.", output);
            Assert.DoesNotContain("Now listening", output);
        }
        finally
        {
            first.Dispose();
            second.Dispose();
        }
    }

    [Fact]
    public async Task PauseClosesThePortAndResumeReopensTheSamePort()
    {
        await using var app = new ChatWebApplication();
        var status = app.Get<GatewayStatus>();
        var admission = app.Get<RoomAdmission>();
        var port = app.TcpPort();
        await using var alice = await TcpTestClient.ConnectAsync(port);
        await alice.RegisterAsync("alice");
        await using var bob = await TcpTestClient.ConnectAsync(port);
        await bob.RegisterAsync("bob");
        await alice.ExpectAsync("* bob joined");

        admission.Pause();

        await Wait.UntilAsync(() => ConnectionIsRefusedAsync(port), $"port {port} to refuse connections after the pause");
        Assert.False(status.IsListening);
        Assert.True(status.IsPaused);
        // Those already in keep chatting.
        await alice.SendAsync("still talking");
        Assert.EndsWith("] alice: still talking", await bob.ReadLineAsync());

        admission.Resume();

        await using var carol = await TcpTestClient.ConnectAsync(port);
        await carol.ExpectAsync("Enter your name:");
        Assert.Equal(port, status.Port);
        Assert.True(status.IsListening);
        Assert.False(status.IsPaused);
    }

    [Fact]
    public async Task ConnectionsOverThePerAddressCapAreToldWhyAndClosed()
    {
        await using var app = new ChatWebApplication();
        var clients = new List<TcpTestClient>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var client = await TcpTestClient.ConnectAsync(app);
                clients.Add(client);
                await client.ExpectAsync("Enter your name:");
            }

            await using (var oneTooMany = await TcpTestClient.ConnectAsync(app))
            {
                Assert.Equal(["! too many connections from your address (max 20); goodbye"], await oneTooMany.ReadToEndAsync());
            }

            // A closed connection frees its place.
            await clients[0].DisposeAsync();
            clients.RemoveAt(0);
            await Wait.UntilAsync(() => app.Get<GatewayStatus>().Connections == 19, () => $"19 connections left, not {app.Get<GatewayStatus>().Connections}");
            await using var next = await TcpTestClient.ConnectAsync(app);
            await next.ExpectAsync("Enter your name:");
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task ConnectionThatDoesNotSignInInTimeIsClosedWithAReason()
    {
        await using var app = new ChatWebApplication(settings: new Dictionary<string, string?> { ["Gateway:LoginTimeoutSeconds"] = "1" });
        var token = await app.SignUpAsync("alice");
        await using var signedIn = await TcpTestClient.ConnectAsync(app);
        await signedIn.ResumeAsync("alice", token);
        await using var idle = await TcpTestClient.ConnectAsync(app);
        await using var halfway = await TcpTestClient.ConnectAsync(app);
        await halfway.ExpectAsync("Enter your name:");
        await halfway.SendAsync("alice");
        await halfway.ExpectAsync("Hello again, alice! Enter your password:");

        await idle.ExpectAsync("Enter your name:");
        Assert.Equal(["! no sign-in within 1 second; goodbye"], await idle.ReadToEndAsync());
        Assert.Equal(["! no sign-in within 1 second; goodbye"], await halfway.ReadToEndAsync());

        // The deadline is for signing in only: the signed-in session outlived it.
        await signedIn.SendAsync("/who");
        await signedIn.ExpectAsync("* Online (1):");
    }

    private static TcpListener HoldFreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static (TcpListener First, TcpListener Second) HoldTwoAdjacentPorts()
    {
        for (var attempt = 0; ; attempt++)
        {
            var first = HoldFreePort();
            var second = new TcpListener(IPAddress.Loopback, ((IPEndPoint)first.LocalEndpoint).Port + 1);
            try
            {
                second.Start();
                return (first, second);
            }
            catch (SocketException) when (attempt < 20)
            {
                first.Dispose();
                second.Dispose();
            }
        }
    }

    private static async Task<bool> ConnectionIsRefusedAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }
}
