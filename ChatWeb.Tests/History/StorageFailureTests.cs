using System.Text.RegularExpressions;
using ChatWeb.Server.Chat;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.History;

public sealed class StorageFailureTests : ServerTest
{
    [Fact]
    public async Task WhenHistoryCannotBeWrittenSendersAreToldNothingUnstoredIsAcknowledgedAndChatResumesByItself()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        var acknowledged = new List<long> { (await alice.InvokeAsync("Send", "before")).GetProperty("id").GetInt64() };

        // The history folder is moved away and a plain file takes its place: nothing can be written there now.
        var folder = Path.Combine(App.DataDirectory, "history");
        var movedAway = Path.Combine(App.DataDirectory, "history-moved");
        Directory.Move(folder, movedAway);
        await File.WriteAllTextAsync(folder, "not a directory");

        for (var i = 0; i < 3; i++)
        {
            var error = await Assert.ThrowsAsync<HubInvocationException>(() => alice.InvokeAsync("Send", $"lost {i}"));
            Assert.Contains("could not store your message", error.Message);
        }
        Assert.False(App.Get<ChatRoom>().IsStorageHealthy);

        // Logged once for the whole burst, not once per message.
        var log = await File.ReadAllTextAsync(Path.Combine(App.DataDirectory, "log.txt"));
        Assert.Single(Regex.Matches(log, "History could not be written"));

        // Writable again: the next message goes through without a restart.
        File.Delete(folder);
        acknowledged.Add((await alice.InvokeAsync("Send", "after")).GetProperty("id").GetInt64());
        Assert.True(App.Get<ChatRoom>().IsStorageHealthy);
        Assert.Contains("History is writable again", await File.ReadAllTextAsync(Path.Combine(App.DataDirectory, "log.txt")));
        // "after" is the sentinel: what bob got up to it is "before" and "after", none of the refused ones.
        await bob.NextAsync("Message", e => e.Argument.GetProperty("text").GetString() == "after");
        Assert.Equal(["before", "after"], bob.Messages().Select(m => m.GetProperty("text").GetString()));

        // Every acknowledged message is on disk (in the old folder or the new one); no refused one is.
        var stored = Directory.GetFiles(movedAway).Concat(Directory.GetFiles(folder)).SelectMany(File.ReadAllLines).ToList();
        foreach (var id in acknowledged) Assert.Contains(stored, line => line.StartsWith($"{id},", StringComparison.Ordinal));
        Assert.DoesNotContain(stored, line => line.Contains(",lost ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TcpSenderGetsAnErrorLineWhileHistoryCannotBeWrittenAndChatsOnAfterwards()
    {
        await using var carol = await TcpTestClient.ConnectAsync(App);
        await carol.RegisterAsync("carol");
        var folder = Path.Combine(App.DataDirectory, "history");
        Directory.Delete(folder, recursive: true);
        await File.WriteAllTextAsync(folder, "not a directory");

        await carol.SendAsync("lost over tcp");
        await carol.ExpectAsync("! the server could not store your message, so it was not sent; try again later");

        File.Delete(folder);
        await carol.SendAsync("kept over tcp");
        await carol.SendAsync("/who");
        await carol.ExpectAsync("* Online (1):");
        var stored = (await App.Get<ChatRoom>().HistoryAfterAsync(0, 10)).Select(m => m.Text).ToList();
        Assert.Equal(["kept over tcp"], stored);
    }
}
