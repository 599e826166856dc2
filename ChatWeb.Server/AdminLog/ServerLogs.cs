using ChatWeb.Server.Hosting;

namespace ChatWeb.Server.AdminLog;

/// <summary>
/// The operator's hold on the server's logs, for the console and the dashboard: how big log.txt is, whether the
/// console shows logs, and the actions that switch the console and clear the files. Each action is logged with who did it.
/// </summary>
public sealed partial class ServerLogs(RollingLogFile file, ConsoleLogSwitch console, ILogger<ServerLogs> logger)
{
    public bool ConsoleIsOn => console.IsOn;

    /// <summary>The size of log.txt (the rolled files not counted).</summary>
    public long FileBytes
    {
        get
        {
            var log = new FileInfo(file.Path);
            return log.Exists ? log.Length : 0;
        }
    }

    public ControlResult SetConsoleLogs(bool on, string by)
    {
        if (on) console.TurnOn(); else console.TurnOff();
        LogAction(logger, by, on ? "turned console logs on" : "turned console logs off");
        return ControlResult.Done(on ? "Logs are shown on the console." : "Logs are no longer shown on the console (log.txt still gets them).");
    }

    /// <summary>Empties log.txt (logging goes on into it), deletes the rolled log files and, when there is one, clears the console.</summary>
    public ControlResult ClearLogs(string by)
    {
        try
        {
            file.Clear();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ControlResult.Failed($"The logs could not be cleared: {ex.Message}");
        }
        if (!Console.IsOutputRedirected) Console.Clear();
        LogAction(logger, by, "cleared the logs");
        return ControlResult.Done("The logs were cleared.");
    }

    // The same words as the room's operator actions ("Operator {By} {Action} {Target}"), so one search finds them all.
    [LoggerMessage(LogLevel.Warning, "Operator {By} {Action}")]
    private static partial void LogAction(ILogger logger, string by, string action);
}
