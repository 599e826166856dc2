using System.Globalization;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace ChatWeb.Server.Hosting;

/// <summary>Turns console logging on and off at run time; the log file always logs.</summary>
public sealed class ConsoleLogSwitch
{
    internal LoggingLevelSwitch Level { get; } = new(LogEventLevel.Verbose);

    public bool IsOn => Level.MinimumLevel <= LogEventLevel.Fatal;

    public void TurnOn() => Level.MinimumLevel = LogEventLevel.Verbose;

    // Above Fatal nothing passes.
    public void TurnOff() => Level.MinimumLevel = (LogEventLevel)(1 + (int)LogEventLevel.Fatal);
}

public static class LoggingExtensions
{
    internal const string Template = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Serilog to &lt;data&gt;/log.txt (rolled by size), to the console (which the operator can switch off) and to every
    /// <see cref="ILogEventSink"/> a feature registers (the admin log's live stream).
    /// </summary>
    public static IHostApplicationBuilder AddServerLogging(this IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Services.AddDataDirectory();
        builder.Services.AddSingleton<ConsoleLogSwitch>();
        builder.Services.AddOptions<LogFileOptions>().BindConfiguration(LogFileOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RollingLogFile>();
        // Built from the container, so the data directory is the one final configuration names.
        builder.Services.AddSingleton<ILoggerProvider>(sp => new SerilogLoggerProvider(
            CreateLogger(sp.GetRequiredService<RollingLogFile>(), sp.GetRequiredService<ConsoleLogSwitch>(), sp.GetServices<ILogEventSink>()), dispose: true));
        return builder;
    }

    private static Serilog.ILogger CreateLogger(RollingLogFile file, ConsoleLogSwitch consoleSwitch, IEnumerable<ILogEventSink> others)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext()
            .Enrich.With<LogValueEscaping>()
            // A HubException is our deliberate answer to a client (message refused, server paused);
            // SignalR logs each as an error with a stack trace, which would bury the real errors.
            .Filter.ByExcluding(e => e.Exception is Microsoft.AspNetCore.SignalR.HubException)
            .WriteTo.Sink(file)
            .WriteTo.Console(outputTemplate: Template, levelSwitch: consoleSwitch.Level, formatProvider: CultureInfo.InvariantCulture);
        foreach (var sink in others) configuration.WriteTo.Sink(sink);
        return configuration.CreateLogger();
    }
}
