namespace ChatWeb.Server.Hosting;

public static class StartupErrors
{
    /// <summary>
    /// Runs the server. A data file it cannot trust stops start-up; the operator then gets one clear
    /// line naming the file and line (the full trace is in the log) and exit code 1, not a crash dump.
    /// </summary>
    public static int RunOrExplain(this WebApplication app)
    {
        try
        {
            app.Run();
            return 0;
        }
        catch (InvalidDataException ex)
        {
            Console.Error.WriteLine($"ChatWeb did not start: {ex.Message}");
            return 1;
        }
    }
}
