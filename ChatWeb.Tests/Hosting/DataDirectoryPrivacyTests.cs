using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Hosting;

/// <summary>
/// The data directory holds password hashes, the key ring, every message and the log: on Unix only the server's
/// user may read any of it (folders 0700, files 0600), whether the server made it or found it wider.
/// </summary>
// Unix file modes: Windows has none (there the folder inherits its parent's ACLs).
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryPrivacyTests
{
    private const string PrivateFolder = "700";
    private const string PrivateFile = "600";

    // A few KiB, so that a short session of chat rolls log.txt and the rolled files are checked too.
    private static readonly Dictionary<string, string?> SmallLog = new() { ["Logging:FileSizeLimitMiB"] = "0.004" };

    [Fact]
    public async Task EverythingTheServerWritesIsPrivateToItsUser()
    {
        await using var app = new ChatWebApplication(settings: SmallLog);
        await UseEverythingAsync(app);

        var modes = ModesOf(app.DataDirectory);
        Assert.All(modes, entry => Assert.True(entry.Value == (entry.Key.EndsWith('/') ? PrivateFolder : PrivateFile), $"{entry.Key} is {entry.Value}"));
        Assert.All(Expected(app.DataDirectory), path => Assert.True(File.Exists(path) || Directory.Exists(path), $"{path} was not made"));
    }

    [Fact]
    public async Task AnExistingDataDirectoryReadableByOthersIsNarrowedAtStartUpAndForeignFilesAreLeftAlone()
    {
        using var directory = new TempDirectory();
        await using (var first = new ChatWebApplication(directory.Path, SmallLog))
            await UseEverythingAsync(first);
        var foreign = Path.Combine(directory.Path, "operator-notes.sh");
        File.WriteAllText(foreign, "#!/bin/sh\n");
        // As an older ChatWeb (or a restored backup, or umask 000) left it.
        foreach (var folder in Directory.GetDirectories(directory.Path, "*", SearchOption.AllDirectories).Append(directory.Path))
            File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("777", 8));
        foreach (var file in Directory.GetFiles(directory.Path, "*", SearchOption.AllDirectories))
            File.SetUnixFileMode(file, (UnixFileMode)Convert.ToInt32("666", 8));
        File.SetUnixFileMode(foreign, (UnixFileMode)Convert.ToInt32("755", 8));

        await using var second = new ChatWebApplication(directory.Path, SmallLog);

        var modes = ModesOf(directory.Path);
        Assert.Equal("755", modes["operator-notes.sh"]);
        modes.Remove("operator-notes.sh");
        Assert.All(modes, entry => Assert.True(entry.Value == (entry.Key.EndsWith('/') ? PrivateFolder : PrivateFile), $"{entry.Key} is {entry.Value}"));
        Assert.Contains("logins.csv", modes.Keys);
        Assert.Contains("log.1.txt", modes.Keys);
        Assert.Contains("admin-password-applied.txt", modes.Keys);
        Assert.Contains(modes.Keys, name => name.StartsWith("keys/key-", StringComparison.Ordinal));
    }

    /// <summary>Register (logins.csv, a key), sign in over TCP and chat (history), enough to roll the log once.</summary>
    private static async Task UseEverythingAsync(ChatWebApplication app)
    {
        await app.RegisterNewAsync("alice");
        await using var tcp = await TcpTestClient.ConnectAsync(app);
        await tcp.SignInAsync("alice");
        await using var hub = await HubTestClient.ConnectAsync(app, await app.TokenAsync("alice"));
        for (var i = 0; i < 3; i++) await hub.InvokeAsync("Send", $"message {i}");
        var control = app.Get<ChatWeb.Server.Control.ServerControl>();
        for (var i = 0; i < 60 && !File.Exists(Path.Combine(app.DataDirectory, "log.1.txt")); i++)
        {
            control.Pause("privacy-test");
            control.Resume("privacy-test");
        }
    }

    private static IEnumerable<string> Expected(string data) =>
    [
        Path.Combine(data, "logins.csv"), Path.Combine(data, "log.txt"), Path.Combine(data, "log.1.txt"),
        Path.Combine(data, "history"), Path.Combine(data, "keys"),
    ];

    /// <summary>Every folder (name ending in /, the data directory itself as "/") and file under the data directory, with its octal mode.</summary>
    private static Dictionary<string, string> ModesOf(string data)
    {
        var modes = new Dictionary<string, string> { ["/"] = Octal(data) };
        foreach (var folder in Directory.GetDirectories(data, "*", SearchOption.AllDirectories))
            modes[Path.GetRelativePath(data, folder) + "/"] = Octal(folder);
        foreach (var file in Directory.GetFiles(data, "*", SearchOption.AllDirectories))
            modes[Path.GetRelativePath(data, file)] = Octal(file);
        Assert.Contains(modes.Keys, name => name.StartsWith("history/history-", StringComparison.Ordinal));
        return modes;
    }

    private static string Octal(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8);
}
