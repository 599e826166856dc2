using System.Text;
using ChatWeb.Server.AdminLog;
using ChatWeb.Server.Accounts;

namespace ChatWeb.Server.Control;

/// <summary>
/// The operator's console language: English commands, the original lab's Russian words and its
/// English ones (clear log, clear file). Each line becomes one call of <see cref="ServerControl"/>, the
/// <see cref="StatusReport"/> or the admin log's <see cref="ServerLogs"/>, or one <see cref="AccountAdministration"/>
/// call in a service scope of its own (a console line is a unit of work, as a request is).
/// </summary>
public sealed class ConsoleCommands(ServerControl control, StatusReport report, ServerLogs logs, IServiceScopeFactory scopes)
{
    private const string By = "console";

    public const string Help = """
        Commands (English / русский):
          status                                   uptime, addresses, who is online
          pause / заморозить                       stop accepting new connections (the TCP port closes)
          resume / разморозить                     accept connections again
          logs on / показывать                     show logs on this console
          logs off / не показывать                 hide logs here (log.txt keeps logging)
          clear logs / clear log / очистить        empty log.txt and this console
          wipe accounts / clear file / удалить клиентов   remove every non-admin account
          kick <name>                              disconnect a user
          reset password <name>                    give a user a new password (printed here)
          unlock <name>                            lift a lockout
          delete user <name>                       delete an account
          shutdown / выкл                          tell everyone, store history, exit
          help                                     this list
        """;

    /// <summary>Runs one console line and returns what to print.</summary>
    public async Task<string> ExecuteAsync(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0) return "";
        var command = string.Join(' ', words).ToLowerInvariant();

        switch (command)
        {
            case "help" or "?" or "помощь":
                return Help;
            case "status" or "статус":
                return Describe(report.Read());
            case "pause" or "заморозить":
                return control.Pause(By).Message;
            case "resume" or "разморозить":
                return control.Resume(By).Message;
            case "logs on" or "показывать":
                return logs.SetConsoleLogs(true, By).Message;
            case "logs off" or "не показывать":
                return logs.SetConsoleLogs(false, By).Message;
            case "clear logs" or "clear log" or "очистить":
                return logs.ClearLogs(By).Message;
            case "wipe accounts" or "clear file" or "удалить клиентов":
                return await AdministerAsync(async accounts => (await accounts.WipeAsync(By)).Message);
            case "shutdown" or "выкл":
                return (await control.ShutdownAsync(By)).Message;
        }

        if (Argument(words, "kick") is { } kicked) return (await control.KickAsync(kicked, By)).Message;
        if (Argument(words, "unlock") is { } unlocked) return await AdministerAsync(async accounts => (await accounts.UnlockAsync(unlocked, By)).Message);
        if (Argument(words, "delete", "user") is { } deleted) return await AdministerAsync(async accounts => (await accounts.DeleteAsync(deleted, By)).Message);
        if (Argument(words, "reset", "password") is { } reset)
        {
            return await AdministerAsync(async accounts =>
            {
                var (result, password) = await accounts.ResetPasswordAsync(reset, By);
                return password is null ? result.Message : $"{result.Message}\nNew password for {reset}: {password}";
            });
        }

        return $"Unknown command '{line.Trim()}'. Type help for the list.";
    }

    private async Task<string> AdministerAsync(Func<AccountAdministration, Task<string>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AccountAdministration>());
    }

    /// <summary>The name after the given command words (the name keeps its case), or null when the line is not that command.</summary>
    private static string? Argument(string[] words, params string[] command)
    {
        if (words.Length != command.Length + 1) return null;
        for (var i = 0; i < command.Length; i++)
            if (!string.Equals(words[i], command[i], StringComparison.OrdinalIgnoreCase)) return null;
        return words[^1];
    }

    private static string Describe(ServerStatus status)
    {
        var text = new StringBuilder();
        text.AppendLine($"Up {status.Uptime:d\\.hh\\:mm\\:ss}; {(status.Paused ? "PAUSED (new connections refused)" : "accepting connections")}");
        text.AppendLine($"HTTP: {string.Join(", ", status.HttpAddresses)}; TCP port: {status.Tcp}");
        text.AppendLine($"Online: {status.Online.Count} ({status.OnlineOver(Chat.MessageSource.Web)} web, {status.OnlineOver(Chat.MessageSource.Tcp)} tcp): "
            + string.Join(", ", status.Online.Select(u => $"{u.UserName} [{string.Join('+', u.Transports).ToLowerInvariant()}]")));
        text.AppendLine($"Messages today: {status.MessagesToday}; log.txt: {status.LogFileBytes:N0} bytes; console logs {(status.ConsoleLogs ? "on" : "off")}");
        text.Append(status.StorageHealthy ? "History: writable" : "History: NOT WRITABLE, messages are refused");
        return text.ToString();
    }
}
