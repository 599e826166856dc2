using System.Threading.Channels;

namespace ChatWeb.Server.Control;

public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Read operator commands from stdin; by default only when stdin is an interactive terminal.</summary>
    public bool? Enabled { get; set; }
}

/// <summary>
/// The server's own console, as the lab server's control thread was: reads command lines from stdin
/// while the server runs. Off, quietly, when stdin is redirected or closed (Docker without -i, tests, CI).
/// </summary>
internal sealed partial class ServerConsole(ConsoleCommands commands, Microsoft.Extensions.Options.IOptions<ConsoleOptions> options, ILogger<ServerConsole> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!(options.Value.Enabled ?? !Console.IsInputRedirected)) return Task.CompletedTask;
        Console.Out.WriteLine("Server console ready: type help for the commands.");
        return RunAsync(Console.In, Console.Out, stoppingToken);
    }

    /// <summary>Executes each line of <paramref name="input"/> until it ends or the server stops.</summary>
    public async Task RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var lines = Channel.CreateUnbounded<string>();
        // ReadLine blocks and cannot be cancelled: it runs on its own thread and hands lines over.
        _ = Task.Factory.StartNew(() =>
        {
            try
            {
                while (input.ReadLine() is { } line) lines.Writer.TryWrite(line);
            }
            catch (IOException)
            {
            }
            finally
            {
                lines.Writer.TryComplete();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    var answer = await commands.ExecuteAsync(line);
                    if (answer.Length > 0) await output.WriteLineAsync(answer);
                }
                catch (Exception ex)
                {
                    LogCommandFailed(logger, ex);
                    await output.WriteLineAsync($"That failed: {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(LogLevel.Error, "A console command failed")]
    private static partial void LogCommandFailed(ILogger logger, Exception exception);
}
