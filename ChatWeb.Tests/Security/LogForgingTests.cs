using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Security;

/// <summary>What clients type reaches the log as values; it must never become log lines of its own.</summary>
public sealed class LogForgingTests : ServerTest
{
    private const string Forged = "2026-01-01 00:00:00.000 [ERR] forged entry";

    [Fact]
    public async Task ALineBreakInATypedNameCannotForgeALogEntry()
    {
        // Refused names and unknown users are logged with the name as typed.
        await App.RegisterAsync($"x\n{Forged}", "password-1");
        await App.RequestTokenAsync($"y\r\n{Forged}\u2028\u001b[2J", "password-1");

        var log = ServerLog.Lines(Path.Combine(App.DataDirectory, "log.txt"));
        Assert.DoesNotContain(log, line => line.StartsWith(Forged, StringComparison.Ordinal));
        Assert.Empty(ServerLog.Problems(Path.Combine(App.DataDirectory, "log.txt")));
        Assert.Contains(log, line => line.Contains($"Registration of x\\n{Forged} refused", StringComparison.Ordinal));
        Assert.Contains(log, line => line.Contains($"Sign-in of y\\r\\n{Forged}\\u2028\\u001b[2J over api failed", StringComparison.Ordinal));
    }
}
