using System.Text;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.History;

public sealed class HistoryFileTests
{
    private const string Header = "Id,SentAt,User,Source,Text\n";

    [Fact]
    public async Task TornLastRecordIsCutOffWithAWarningAndIdsContinue()
    {
        using var directory = new TempDirectory();
        var file = WriteHistory(directory.Path, Header
            + "1,2026-11-21T10:00:00.000Z,alice,web,first\n"
            + "2,2026-11-21T10:00:01.000Z,bob,tcp,\"second, with a comma\"\n"
            + "3,2026-11-21T10:00:02.000Z,alice,web,\"torn in the mid");

        await using var app = new ChatWebApplication(directory.Path);
        await using var client = await HubTestClient.ConnectAsync(app, await app.SignUpAsync("carol"));
        var history = await client.NextAsync("History");
        Assert.Equal(["first", "second, with a comma"], history.Argument.EnumerateArray().Select(m => m.GetProperty("text").GetString()));

        var next = await client.InvokeAsync("Send", "after the crash");
        Assert.Equal(3, next.GetProperty("id").GetInt64());

        Assert.EndsWith("second, with a comma\"\n", File.ReadAllText(file));
        Assert.Contains("half-written record", File.ReadAllText(Path.Combine(directory.Path, "log.txt")));
    }

    [Theory]
    [InlineData("1,2026-11-21T10:00:00.000Z,alice,web,ok\nnot-a-number,2026-11-21T10:00:00.000Z,alice,web,x\n3,2026-11-21T10:00:00.000Z,alice,web,ok\n", 3, "is not a message id")]
    [InlineData("1,2026-11-21T10:00:00.000Z,alice,carrier-pigeon,x\n", 2, "is not a source")]
    [InlineData("1,yesterday,alice,web,x\n", 2, "is not a UTC timestamp")]
    [InlineData("5,2026-11-21T10:00:00.000Z,alice,web,x\n4,2026-11-21T10:00:00.000Z,alice,web,x\n", 0, "out of order")]
    public async Task UnreadableHistoryStopsStartupNamingFileAndLine(string records, int line, string problem)
    {
        using var directory = new TempDirectory();
        var file = WriteHistory(directory.Path, Header + records);
        var before = File.ReadAllBytes(file);

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(directory.Path);

        Assert.Equal(1, exitCode);
        Assert.Contains("ChatWeb did not start: ", output);
        Assert.Contains($"History file {file}", output);
        if (line > 0) Assert.Contains($"cannot be read at line {line}: ", output);
        Assert.Contains(problem, output);
        Assert.DoesNotContain("Now listening", output);
        Assert.Equal(before, File.ReadAllBytes(file));
    }

    [Fact]
    public void CompleteRecordsEndAtTheLastNewlineOutsideQuotes()
    {
        var text = "a,b\n1,\"two\nlines\"\n2,\"open \"\"quote\"\" and\nmore";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var keep = ChatWeb.Server.History.CsvChatHistory.CompleteRecordsLength(stream);
        Assert.Equal("a,b\n1,\"two\nlines\"\n", text[..(int)keep]);
    }

    private static string WriteHistory(string dataDirectory, string content)
    {
        var folder = Path.Combine(dataDirectory, "history");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "history-2026-11-21.csv");
        File.WriteAllText(file, content);
        return file;
    }
}
