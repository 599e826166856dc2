using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Chat;

/// <summary>Rate limiting on (the defaults of appsettings.json), unlike most tests.</summary>
public sealed class RoomLimitsTests() : ServerTest(new Dictionary<string, string?>
{
    ["Chat:RatePerSecond"] = "5",
    ["Chat:RateBurst"] = "20",
})
{
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
        Assert.InRange(accepted.Count, 20, 25);
        Assert.Contains("too many messages, slow down", refusal);

        // One token comes back every 200 ms: the input here is time itself, so this wait is the test's stimulus.
        await Task.Delay(450);
        var next = await alice.InvokeAsync("Send", "after the flood");
        Assert.Equal("after the flood", next.GetProperty("text").GetString());

        // Refused lines never reach anyone: up to the sentinel (the line after the flood), bob got the accepted ones only.
        await bob.NextAsync("Message", e => e.Argument.GetProperty("text").GetString() == "after the flood");
        Assert.Equal([.. accepted, "after the flood"], bob.Messages().Select(m => m.GetProperty("text").GetString()!));
    }
}
