using System.Text.Json;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Security;

/// <summary>
/// Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) make text display in another order
/// than it is stored ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf"): the room strips them from every post,
/// so no transport and no history ever carries them.
/// </summary>
public sealed class BidiControlTests : ServerTest
{
    private const string Controls = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069";
    private const string Posted = "\u202E  a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j.exe \u202E";
    private const string Clean = "abcdefghij.exe";

    [Theory]
    [InlineData("web")]
    [InlineData("tcp")]
    public async Task BidiControlsAreStrippedForEveryReceiverAndTheHistory(string senderTransport)
    {
        var (webReceiver, tcpReceiver) = await ReceiversAsync();
        await using var _ = webReceiver;
        await using var __ = tcpReceiver;
        await using var sender = await SenderAsync(senderTransport, "sam");

        await sender.PostAsync(Posted);

        var live = (await webReceiver.NextAsync("Message", e => e.Argument.GetProperty("user").GetString() == "sam")).Argument;
        Assert.Equal(Clean, live.GetProperty("text").GetString());
        var line = await tcpReceiver.ReadUntilAsync(l => l.Contains(" sam: ", StringComparison.Ordinal));
        Assert.EndsWith(" sam: " + Clean, line);

        var stored = await webReceiver.InvokeAsync("History", 0L, 500);
        Assert.Equal([Clean], stored.EnumerateArray().Select(m => m.GetProperty("text").GetString()));
        var files = Directory.GetFiles(Path.Combine(App.DataDirectory, "history")).Select(File.ReadAllText).ToList();
        Assert.Contains(files, text => text.Contains("," + Clean + "\n", StringComparison.Ordinal));
        Assert.DoesNotContain(files, text => text.AsSpan().IndexOfAny(Controls) >= 0);
    }

    [Theory]
    [InlineData("web")]
    [InlineData("tcp")]
    public async Task AMessageOfBidiControlsOnlyIsIgnoredLikeAnEmptyOne(string senderTransport)
    {
        var (webReceiver, tcpReceiver) = await ReceiversAsync();
        await using var _ = webReceiver;
        await using var __ = tcpReceiver;
        await using var sender = await SenderAsync(senderTransport, "sam");

        var answer = await sender.PostAsync(" " + Controls + " \u202E");
        await sender.PostAsync("sentinel");

        if (senderTransport == "web") Assert.Equal(JsonValueKind.Null, answer.ValueKind);
        var live = (await webReceiver.NextAsync("Message", e => e.Argument.GetProperty("user").GetString() == "sam")).Argument;
        Assert.Equal("sentinel", live.GetProperty("text").GetString());
        Assert.EndsWith(" sam: sentinel", await tcpReceiver.ReadUntilAsync(l => l.Contains(" sam: ", StringComparison.Ordinal)));
        var stored = await webReceiver.InvokeAsync("History", 0L, 500);
        Assert.Equal(["sentinel"], stored.EnumerateArray().Select(m => m.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task RightToLeftMarksAreKeptBecauseHebrewAndArabicTextNeedsThem()
    {
        // LRM, RLM and ALM only set the direction of the neutral characters next to them; they cannot reorder letters.
        const string text = "\u05E9\u05DC\u05D5\u05DD 123!\u200F \u0645\u0631\u062D\u0628\u0627\u061C 4\u200E ok";
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        var stored = await alice.InvokeAsync("Send", text);
        Assert.Equal(text, stored.GetProperty("text").GetString());
    }

    private async Task<(HubTestClient Web, TcpTestClient Tcp)> ReceiversAsync()
    {
        var web = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("wendy"));
        var tcp = await TcpTestClient.ConnectAsync(App);
        await tcp.RegisterAsync("tom");
        return (web, tcp);
    }

    private async Task<Sender> SenderAsync(string transport, string name)
    {
        if (transport == "web") return new Sender(await HubTestClient.ConnectAsync(App, await App.SignUpAsync(name)), null);
        var tcp = await TcpTestClient.ConnectAsync(App);
        await tcp.RegisterAsync(name);
        return new Sender(null, tcp);
    }

    /// <summary>One user posting over the hub (Send answers the stored message) or over TCP (no answer to wait for).</summary>
    private sealed record Sender(HubTestClient? Web, TcpTestClient? Tcp) : IAsyncDisposable
    {
        public async Task<JsonElement> PostAsync(string text)
        {
            if (Web is not null) return await Web.InvokeAsync("Send", text);
            await Tcp!.SendAsync(text);
            return default;
        }

        public async ValueTask DisposeAsync()
        {
            if (Web is not null) await Web.DisposeAsync();
            if (Tcp is not null) await Tcp.DisposeAsync();
        }
    }
}
