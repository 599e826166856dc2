using System.Text.Json;

namespace ChatWeb.Bench.Results;

/// <summary>
/// Where results go: one JSON line per run on stdout and appended to the results file (the table and the
/// ratios are printed from that file), progress on stderr.
/// </summary>
internal sealed class ResultLog(string? path)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly List<RunResult> _written = [];

    public IReadOnlyList<RunResult> Written => _written;

    public void Write(RunResult result)
    {
        var line = JsonSerializer.Serialize(result, result.GetType(), Json);
        Console.Out.WriteLine(line);
        if (path is not null) File.AppendAllText(path, line + "\n");
        _written.Add(result);
    }

    public static void Progress(string text) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {text}");

    /// <summary>Every result in a results file, oldest first; lines of unknown scenarios are skipped.</summary>
    public static List<RunResult> Read(string path)
    {
        var results = new List<RunResult>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var document = JsonDocument.Parse(line);
            RunResult? result = document.RootElement.GetProperty("scenario").GetString() switch
            {
                "fanout" => document.Deserialize<FanoutResult>(Json),
                "fanout-step" => document.Deserialize<FanoutStepResult>(Json),
                "idle" => document.Deserialize<IdleResult>(Json),
                "connect" => document.Deserialize<ConnectResult>(Json),
                "register" => document.Deserialize<RegistrationResult>(Json),
                "soak-sample" => document.Deserialize<SoakSample>(Json),
                "soak" => document.Deserialize<SoakResult>(Json),
                _ => null,
            };
            if (result is not null) results.Add(result);
        }
        return results;
    }
}
