namespace ChatWeb.Server.Hosting;

public static class StartupErrors
{
    /// <summary>
    /// Runs the server. A data file it cannot trust stops start-up; the operator then gets one clear
    /// line naming the file and line (the full trace is in the log) and exit code 1, not a crash dump.
    /// So does any other <see cref="StartupException"/> (a busy TCP port range).
    /// </summary>
    public static int RunOrExplain(this WebApplication app)
    {
        try
        {
            app.Run();
            return 0;
        }
        catch (Exception ex) when (ex is InvalidDataException or StartupException)
        {
            Console.Error.WriteLine($"ChatWeb did not start: {ex.Message}");
            return 1;
        }
    }
}
