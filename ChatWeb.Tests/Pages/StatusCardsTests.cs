using AngleSharp.Html.Parser;
using ChatWeb.Server.Chat;
using ChatWeb.Server.Components.Admin;
using ChatWeb.Server.Control;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatWeb.Tests.Pages;

/// <summary>The dashboard's status cards rendered on their own with Blazor's HtmlRenderer.</summary>
public sealed class StatusCardsTests
{
    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> RenderAsync(ServerStatus status)
    {
        await using var services = new ServiceCollection().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<StatusCards>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["Status"] = status }));
            return output.ToHtmlString();
        });
        return new HtmlParser().ParseDocument(html);
    }

    private static ServerStatus Status(bool paused = false, bool storage = true) => new(
        Uptime: TimeSpan.FromHours(26) + TimeSpan.FromMinutes(5),
        HttpAddresses: ["http://127.0.0.1:8080"],
        TcpPort: 5555,
        TcpListening: !paused,
        Paused: paused,
        Online: [new OnlineUser("alice", [MessageSource.Web, MessageSource.Tcp]), new OnlineUser("bob", [MessageSource.Tcp])],
        MessagesToday: 12345,
        LogFileBytes: 3 * 1024 * 1024,
        ConsoleLogs: true,
        StorageHealthy: storage);

    [Fact]
    public async Task CardsShowStateOnlineCountsMessagesUptimeAndLogSize()
    {
        var page = await RenderAsync(Status());
        Assert.Equal("Accepting", page.QuerySelector("#card-state .big")!.TextContent);
        Assert.Equal("2", page.QuerySelector("#card-online .big")!.TextContent);
        Assert.Equal("1 web · 2 tcp", page.QuerySelector("#card-online small")!.TextContent);
        Assert.Equal("12,345", page.QuerySelector("#card-messages .big")!.TextContent);
        Assert.Equal("1d 2h", page.QuerySelector("#card-uptime .big")!.TextContent);
        Assert.EndsWith("TCP 5555", page.QuerySelector("#card-uptime small")!.TextContent);
        Assert.Equal("3 MiB", page.QuerySelector("#card-logs .big")!.TextContent);
        Assert.Equal(["alice web, tcp", "bob tcp"], page.QuerySelectorAll("#online-list li").Select(li => li.TextContent));
    }

    [Fact]
    public async Task PausedAndStorageTroubleStandOut()
    {
        var page = await RenderAsync(Status(paused: true, storage: false));
        Assert.Equal("Paused", page.QuerySelector("#card-state .big")!.TextContent);
        Assert.Contains("warn", page.QuerySelector("#card-state")!.ClassList);
        Assert.Contains("NOT writable", page.QuerySelector("#card-messages small")!.TextContent);
        Assert.EndsWith("TCP 5555 (not listening)", page.QuerySelector("#card-uptime small")!.TextContent);
    }
}
