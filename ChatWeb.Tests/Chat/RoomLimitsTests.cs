using ChatWeb.Server.Chat;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatWeb.Tests.Chat;

/// <summary>
/// Rate limiting on (the defaults of appsettings.json), unlike most tests. The limiter's clock moves only when
/// the test says, so a flood gets exactly the burst and a refill exactly one token per 200 ms.
/// </summary>
public sealed class RoomLimitsTests : ServerTest
{
    private readonly ManualClock _clock;

    public RoomLimitsTests() : this(new ManualClock())
    {
    }

    private RoomLimitsTests(ManualClock clock) : base(new Dictionary<string, string?>
    {
        ["Chat:RatePerSecond"] = "5",
        ["Chat:RateBurst"] = "20",
    }, services => services.Replace(ServiceDescriptor.Singleton(sp => ActivatorUtilities.CreateInstance<UserRateLimiter>(sp, clock))))
    {
        _clock = clock;
    }

    [Fact]
    public async Task TooLongMessageIsRefusedWithAReasonAndNotBroadcast()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        await bob.NextAsync("Users");

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => alice.InvokeAsync("Send", new string('x', 2001)));
        Assert.Contains("message too long (2001 characters, max 2000)", error.Message);

        // Exactly 2000 after trimming is fine, and the sender can go on.
        await alice.InvokeAsync("Send", "  " + new string('y', 2000) + "  ");
        await alice.InvokeAsync("Send", "still here");
        var texts = (await bob.WaitForMessagesAsync(m => m.Count == 2)).Select(m => m.GetProperty("text").GetString()!).ToList();
        Assert.Equal([new string('y', 2000), "still here"], texts);

        // A refusal is an answer to the sender, not a server error.
        Assert.DoesNotContain("[ERR]", await File.ReadAllTextAsync(Path.Combine(App.DataDirectory, "log.txt")));
    }

    [Fact]
    public async Task FloodIsRefusedWithAReasonNotBroadcastAndTheSenderRecovers()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        await bob.NextAsync("Users");

        var accepted = new List<string>();
        string? refusal = null;
        for (var i = 0; i < 40; i++)
        {
            try
            {
                await alice.InvokeAsync("Send", $"flood {i}");
                accepted.Add($"flood {i}");
            }
            catch (HubInvocationException e)
            {
                refusal = e.Message;
            }
        }
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"flood {i}"), accepted);
        Assert.Contains("too many messages, slow down", refusal);

        // One token comes back every 200 ms, and only one.
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        var next = await alice.InvokeAsync("Send", "after the flood");
        Assert.Equal("after the flood", next.GetProperty("text").GetString());
        var tooSoon = await Assert.ThrowsAsync<HubInvocationException>(() => alice.InvokeAsync("Send", "one too many"));
        Assert.Contains("too many messages, slow down", tooSoon.Message);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        await alice.InvokeAsync("Send", "sentinel");

        // Refused lines never reach anyone: up to the sentinel, bob got the accepted ones only.
        await bob.NextAsync("Message", e => e.Argument.GetProperty("text").GetString() == "sentinel");
        Assert.Equal([.. accepted, "after the flood", "sentinel"], bob.Messages().Select(m => m.GetProperty("text").GetString()!));
    }
}
