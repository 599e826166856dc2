using System.Globalization;
using System.Text;
using ChatWeb.Server.History;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.History;

/// <summary>
/// A server started on 200,000 messages in four past day files (ids 1..200,000, 50,000 a day): far more than
/// it keeps in memory, so pages from the start of the history can only come from the files. Shared by the
/// tests of a class, which only read.
/// </summary>
public sealed class LargeHistoryServer : IAsyncLifetime
{
    public const int Days = 4;
    public const int PerDay = 50_000;
    public const long LastId = Days * PerDay;

    private readonly TempDirectory _directory = new();

    public ChatWebApplication App { get; private set; } = null!;
    public string Token { get; private set; } = "";

    /// <summary>Records the server has parsed from its files to answer history queries so far.</summary>
    public long RecordsRead => App.Get<CsvChatHistory>().RecordsReadForQueries;

    public async Task InitializeAsync()
    {
        Write(_directory.Path);
        App = new ChatWebApplication(_directory.Path);
        Token = await App.SignUpAsync("reader");
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        _directory.Dispose();
    }

    public static string Text(long id) => $"message number {id}";

    private static void Write(string dataDirectory)
    {
        var folder = Path.Combine(dataDirectory, "history");
        Directory.CreateDirectory(folder);
        var firstDay = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        long id = 0;
        for (var day = 0; day < Days; day++)
        {
            var date = firstDay.AddDays(day);
            var text = new StringBuilder("Id,SentAt,User,Source,Text\n");
            for (var i = 0; i < PerDay; i++)
            {
                id++;
                var sentAt = date.AddMilliseconds(i * 1000L).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                // Every tenth text is quoted and spans two lines, so record starts are not simply line starts.
                var body = id % 10 == 0 ? $"\"{Text(id)}\n\"\"second line\"\"\"" : Text(id);
                text.Append(CultureInfo.InvariantCulture, $"{id},{sentAt},alice,web,{body}\n");
            }
            File.WriteAllText(Path.Combine(folder, $"history-{date:yyyy-MM-dd}.csv"), text.ToString());
        }
    }
}
