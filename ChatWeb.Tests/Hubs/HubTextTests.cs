using System.Text.Encodings.Web;
using System.Text.Json;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Hubs;

/// <summary>Text through the hub and back, byte for byte, however the WebSocket cuts it.</summary>
public sealed class HubTextTests() : ServerTest(new Dictionary<string, string?> { ["Chat:MaxMessageLength"] = "0" })
{
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task MessagesOfTwoByteCharactersLongerThanOneReadArriveIntact()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        // 17 KB of two-byte characters, once at an even and once at an odd offset: one of them has a
        // character cut by the client's 16 KB reads (the fuzzer's restart check caught the test client
        // decoding each read on its own and turning such a character into two U+FFFD).
        string[] texts = [new string('Ж', 8500), "x" + new string('Ж', 8500)];

        // Sent as UTF-8, not as \u escapes, so each frame stays under the hub's 32 KB.
        foreach (var text in texts)
            await alice.SendFrameAsync(JsonSerializer.Serialize(new { type = 1, target = "Send", arguments = new[] { text } }, Unescaped));

        var received = await alice.WaitForMessagesAsync(messages => messages.Count == 2);
        Assert.Equal(texts, received.Select(m => m.GetProperty("text").GetString()));
    }
}
