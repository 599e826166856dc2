using ChatWeb.Server.Hosting;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Serilog.Events;
using Serilog.Parsing;

namespace ChatWeb.Tests.Hosting;

/// <summary>The log file sink on its own, on real files: the edge settings and an operator who empties log.txt by hand.</summary>
public sealed class RollingLogFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void WithOneRetainedFileARollStartsLogTxtAfreshAndKeepsNoOtherFile()
    {
        using var log = Open(limitMiB: 1.0 / 1024, retainedFiles: 1);
        for (var i = 0; i < 100; i++) log.Emit(Event($"entry {i} with some words to fill the kilobyte faster"));

        Assert.Equal(["log.txt"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
        Assert.InRange(new FileInfo(log.Path).Length, 0, 1024);
    }

    [Fact]
    public void AfterTheOperatorEmptiesLogTxtByHandLoggingGoesOnAtItsStartWithoutAGap()
    {
        using var log = Open(limitMiB: 64, retainedFiles: 5);
        for (var i = 0; i < 50; i++) log.Emit(Event($"before {i}"));

        using (var file = new FileStream(log.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            file.SetLength(0);
        log.Emit(Event("after the truncation"));

        var text = File.ReadAllText(log.Path);
        Assert.DoesNotContain('\0', text);
        Assert.DoesNotContain("before", text);
        Assert.EndsWith("after the truncation" + Environment.NewLine, text);
    }

    [Fact]
    public void RolledFilesBeyondALoweredRetainedFilesAreDeletedAtStartUp()
    {
        foreach (var number in new[] { 1, 2, 3, 4, 9 }) File.WriteAllText(Path.Combine(_directory.Path, $"log.{number}.txt"), "old");
        File.WriteAllText(Path.Combine(_directory.Path, "log.notes.txt"), "not ours");

        using var log = Open(limitMiB: 64, retainedFiles: 3);

        Assert.Equal(["log.1.txt", "log.2.txt", "log.notes.txt"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    public void Dispose() => _directory.Dispose();

    private RollingLogFile Open(double limitMiB, int retainedFiles) =>
        new(new DataDirectory(_directory.Path), Options.Create(new LogFileOptions { FileSizeLimitMiB = limitMiB, RetainedFiles = retainedFiles }));

    private static LogEvent Event(string text) =>
        new(DateTimeOffset.UtcNow, LogEventLevel.Information, null, new MessageTemplateParser().Parse(text), []);
}
