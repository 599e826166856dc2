using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatWeb.Server.Hosting;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatWeb.Tests.Hosting;

public sealed class HealthTests
{
    [Fact]
    public async Task HealthzAndReadyzAnswer200OnAHealthyServer()
    {
        await using var app = new ChatWebApplication();
        using var http = app.NewClient();

        var (alive, aliveBody) = await GetAsync(http, "/healthz");
        Assert.Equal(HttpStatusCode.OK, alive);
        Assert.Equal("Healthy", aliveBody.GetProperty("status").GetString());

        var (ready, readyBody) = await GetAsync(http, "/readyz");
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal("Healthy", CheckStatus(readyBody, "data-directory"));
        Assert.Equal("Healthy", CheckStatus(readyBody, "history-writer"));
        Assert.Empty(Directory.EnumerateFiles(app.DataDirectory, ".readyz-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ReadyzCountsTheGatewayReadyWhenListeningOrPausedAndNotWhenItLostItsPort()
    {
        await using var app = new ChatWebApplication();
        using var http = app.NewClient();
        var port = app.TcpPort();
        Assert.Equal("Healthy", CheckStatus((await GetAsync(http, "/readyz")).Body, "gateway"));

        var admission = app.Get<ChatWeb.Server.Chat.RoomAdmission>();
        admission.Pause();
        Assert.Equal("Healthy", CheckStatus((await GetAsync(http, "/readyz")).Body, "gateway"));

        // Somebody else takes the port while the gateway is paused: after resume it cannot listen.
        var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
        await Wait.UntilAsync(() => TryStart(squatter), $"the paused gateway to let go of port {port}", TimeSpan.FromSeconds(15));
        admission.Resume();
        var (status, body) = await GetAsync(http, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", CheckStatus(body, "gateway"));

        // The port comes free: the gateway takes it back by itself.
        squatter.Stop();
        await Wait.UntilAsync(async () => (await GetAsync(http, "/readyz")).Status == HttpStatusCode.OK, "/readyz to answer 200 once the port came free", TimeSpan.FromSeconds(15));
        Assert.Equal(port, app.TcpPort());
    }

    private static bool TryStart(System.Net.Sockets.TcpListener listener)
    {
        try
        {
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    [Fact]
    public async Task ReadyzAnswers503WhileTheDataDirectoryIsNotWritableAndRecoversAfter()
    {
        await using var app = new ChatWebApplication();
        using var http = app.NewClient();

        using (var unwritable = UnwritableDirectory.Make(app.DataDirectory))
        {
            var (ready, body) = await GetAsync(http, "/readyz");
            Assert.True(ready == HttpStatusCode.ServiceUnavailable, $"/readyz answered {ready} with the data directory made unwritable by {unwritable.Technique}");
            Assert.Equal("Unhealthy", CheckStatus(body, "data-directory"));
            // Liveness runs no checks: a full or read-only disk is no reason to kill the process.
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, "/healthz")).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, "/readyz")).Status);
    }

    [Fact]
    public async Task ReadyzAnswers503AfterAHistoryWriteFailsUntilOneWorksAgain()
    {
        await using var app = new ChatWebApplication();
        using var http = app.NewClient();
        await using var alice = await HubTestClient.ConnectAsync(app, await app.SignUpAsync("alice"));
        var historyFolder = Path.Combine(app.DataDirectory, "history");

        using (UnwritableDirectory.Make(historyFolder))
            await Assert.ThrowsAsync<HubInvocationException>(() => alice.InvokeAsync("Send", "lost to a broken disk"));

        // The folder is writable again, but the writer has not yet proved it: still not ready.
        var (ready, body) = await GetAsync(http, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal("Unhealthy", CheckStatus(body, "history-writer"));
        Assert.Equal("Healthy", CheckStatus(body, "data-directory"));

        await alice.InvokeAsync("Send", "the disk is back");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, "/readyz")).Status);
    }

    [Fact]
    public async Task ChecksTaggedReadyByAnyFeatureCountForReadyzAndOthersDoNot()
    {
        var gatewayListening = true;
        await using var app = new ChatWebApplication(services: services => services.AddHealthChecks()
            .AddCheck("gateway-like", () => gatewayListening ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("not listening"), tags: [HealthExtensions.ReadyTag])
            .AddCheck("not-for-probes", () => HealthCheckResult.Unhealthy("never asked by /readyz or /healthz")));
        using var http = app.NewClient();

        var (ready, body) = await GetAsync(http, "/readyz");
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal("Healthy", CheckStatus(body, "gateway-like"));
        Assert.False(body.GetProperty("checks").TryGetProperty("not-for-probes", out _));

        gatewayListening = false;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(http, "/readyz")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, "/healthz")).Status);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static string? CheckStatus(JsonElement body, string check) =>
        body.GetProperty("checks").GetProperty(check).GetProperty("status").GetString();
}
