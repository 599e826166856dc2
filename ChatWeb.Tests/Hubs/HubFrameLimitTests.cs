using System.Text.Json;
using ChatWeb.Server.Hubs;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Hubs;

/// <summary>What a hub connection does with frames it cannot take: over the size limit, malformed, of an unknown type.</summary>
public sealed class HubFrameLimitTests : ServerTest
{
    private string LogFile => Path.Combine(App.DataDirectory, "log.txt");

    [Fact]
    public async Task FrameOver32KbClosesOnlyThatConnectionWithAnErrorNamingTheLimit()
    {
        Assert.Equal(32 * 1024, HubsExtensions.MaxMessageBytes);
        var aliceToken = await App.SignUpAsync("alice");
        await using var alice = await HubTestClient.ConnectAsync(App, aliceToken);
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));

        await alice.SendFrameAsync(SendFrame(new string('x', HubsExtensions.MaxMessageBytes)));

        var error = await alice.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("message too big: a hub message may be at most 32768 bytes (32 KB)", error);
        // Nobody else noticed: bob chats on, and alice can come straight back.
        Assert.Equal("still here", (await bob.InvokeAsync("Send", "still here")).GetProperty("text").GetString());
        await using var aliceAgain = await HubTestClient.ConnectAsync(App, aliceToken);
        Assert.Equal("back", (await aliceAgain.InvokeAsync("Send", "back")).GetProperty("text").GetString());
        Assert.Empty(ServerLog.Problems(LogFile));
    }

    [Fact]
    public async Task FrameJustUnderTheLimitIsReadAndTheRoomAppliesItsOwnLengthRule()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        var text = new string('y', HubsExtensions.MaxMessageBytes - 200);
        var frame = SendFrame(text);
        Assert.InRange(frame.Length + 1, HubsExtensions.MaxMessageBytes - 200, HubsExtensions.MaxMessageBytes);

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => alice.InvokeAsync("Send", text));

        Assert.Contains($"message too long ({text.Length} characters, max 2000)", error.Message);
        // Still connected after the refusal: the next call is answered (on a closed connection it fails).
        Assert.Equal("still connected", (await alice.InvokeAsync("Send", "still connected")).GetProperty("text").GetString());
        Assert.False(alice.Closed.IsCompleted);
    }

    [Fact]
    public async Task FrameWithoutASeparatorThatOutgrowsTheLimitClosesTheConnection()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        var unterminated = "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + new string('z', 20 * 1024);

        // Two pieces, neither ending the frame: together they pass the limit without a separator.
        await alice.SendRawAsync(unterminated);
        await alice.SendRawAsync(new string('z', 20 * 1024));

        Assert.Contains("at most 32768 bytes", await alice.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(ServerLog.Problems(LogFile));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"type\":\"1\",\"target\":\"Send\",\"arguments\":[\"x\"]}")]
    [InlineData("{\"type\":1,\"target\":\"Send\",\"arguments\":\"x\"}")]
    [InlineData("{\"type\":1.5,\"target\":\"Send\",\"arguments\":[\"x\"]}")]
    [InlineData("{\"type\":2147483648}")]
    public async Task MalformedFrameClosesThatConnectionWithTheReasonAndTheLogStaysClean(string frame)
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));

        await alice.SendFrameAsync(frame);

        Assert.Contains("malformed message: ", await alice.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(ServerLog.Problems(LogFile));
    }

    [Fact]
    public async Task FrameOfAnUnknownTypeIsIgnoredAndTheConnectionGoesOn()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));

        // SignalR ignores unknown types (for newer clients), but used to stop reading after one: Who never came back.
        await alice.SendFrameAsync("{\"type\":99}");
        var who = await alice.InvokeAsync("Who");

        Assert.Equal("alice", who[0].GetProperty("userName").GetString());
    }

    private static string SendFrame(string text) =>
        JsonSerializer.Serialize(new { type = 1, invocationId = "big", target = "Send", arguments = new[] { text } });
}
