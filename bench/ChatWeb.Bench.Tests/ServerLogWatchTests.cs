using ChatWeb.Bench.Measuring;

namespace ChatWeb.Bench.Tests;

public sealed class ServerLogWatchTests : IDisposable
{
    private readonly string _log = Path.GetTempFileName();

    [Fact]
    public void ErrorsFatalsAndUnhandledExceptionsCountAsErrorsWarningsApart()
    {
        File.WriteAllText(_log, """
            2026-11-22 04:00:00.000 [INF] ChatWeb.Server.Chat.ChatRoom: bench0001 joined from tcp
            2026-11-22 04:00:01.000 [WRN] ChatWeb.Server.Gateway.GatewaySession: bench0002 cut off: 1000 lines queued
            2026-11-22 04:00:02.000 [ERR] Microsoft.AspNetCore.Server.Kestrel: Unexpected exception
            System.InvalidOperationException: boom
               at Somewhere()
            2026-11-22 04:00:03.000 [FTL] ChatWeb.Server: the host stopped
            2026-11-22 04:00:04.000 [INF] Microsoft.Hosting: Unhandled exception in a background task

            """);
        var watch = new ServerLogWatch(_log);

        watch.Update();

        Assert.Equal(3, watch.Errors);
        Assert.Equal(1, watch.Warnings);
        Assert.StartsWith("2026-11-22 04:00:02.000 [ERR]", watch.FirstError);
        Assert.Contains("cut off", watch.FirstWarning);
    }

    [Fact]
    public void EachLookReadsOnlyWhatWasAddedAndALineWaitsForItsNewline()
    {
        var watch = new ServerLogWatch(_log);
        File.WriteAllText(_log, "2026-11-22 04:00:00.000 [ERR] A: first\n2026-11-22 04:00:01.000 [ER");
        watch.Update();
        Assert.Equal(1, watch.Errors);

        File.AppendAllText(_log, "R] B: second\n");
        watch.Update();
        watch.Update();

        Assert.Equal(2, watch.Errors);
        Assert.Contains("A: first", watch.FirstError);
    }

    [Fact]
    public void AClearedLogIsReadFromItsStartAgain()
    {
        var watch = new ServerLogWatch(_log);
        File.WriteAllText(_log, "2026-11-22 04:00:00.000 [INF] A: a long line that makes the file longer than what follows\n");
        watch.Update();

        File.WriteAllText(_log, "2026-11-22 04:00:09.000 [WRN] B: x\n");
        watch.Update();

        Assert.Equal(1, watch.Warnings);
    }

    [Fact]
    public void WithoutALogThereIsNothingToCountAndNothingThrows()
    {
        var none = new ServerLogWatch(null);
        var missing = new ServerLogWatch(_log + ".missing");
        none.Update();
        missing.Update();

        Assert.Equal(0, none.Errors + missing.Errors + none.Warnings + missing.Warnings);
    }

    public void Dispose() => File.Delete(_log);
}
