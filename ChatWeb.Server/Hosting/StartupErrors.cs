using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Hosting;

public static class StartupErrors
{
    /// <summary>
    /// Checks every setting before anything is built or opened (see <see cref="SettingsCheck"/>): true, after
    /// one line on stderr naming the key, the value and what is allowed, when one cannot be used; exit with 1 then.
    /// </summary>
    public static bool HasBadSetting(this IHostApplicationBuilder builder)
    {
        if (SettingsCheck.FindProblem(builder.Configuration) is not { } problem) return false;
        Explain(problem);
        return true;
    }

    /// <summary>
    /// Runs the server. A data file it cannot trust stops start-up; the operator then gets one clear
    /// line naming the file and line (the full trace is in the log) and exit code 1, not a crash dump.
    /// So does any other <see cref="StartupException"/> (a busy TCP port range), a busy HTTP port, and a setting that only
    /// ValidateOnStart caught (one of an options class <see cref="SettingsCheck"/> does not know).
    /// </summary>
    public static int RunOrExplain(this WebApplication app)
    {
        try
        {
            app.Run();
            return 0;
        }
        catch (Exception ex) when (ex is InvalidDataException or StartupException or OptionsValidationException
                                   // Kestrel's "Failed to bind to address http://...: address already in use."
                                   or IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException })
        {
            Explain(ex.Message);
            return 1;
        }
    }

    private static void Explain(string problem) => Console.Error.WriteLine($"ChatWeb did not start: {problem}");
}
