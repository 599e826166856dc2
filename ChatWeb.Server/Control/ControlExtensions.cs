using ChatWeb.Server.Accounts;

namespace ChatWeb.Server.Control;

public static class ControlExtensions
{
    /// <summary>Operator actions, the server console, and the rules that tie accounts to live connections.</summary>
    public static IHostApplicationBuilder AddServerControl(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ServerControl>();
        builder.Services.AddSingleton<ConsoleCommands>();
        builder.Services.AddSingleton<StatusReport>();
        builder.Services.AddSingleton<ISessionChannel, RoomSessionChannel>();
        builder.Services.AddSingleton<ServerConsole>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ServerConsole>());
        return builder;
    }
}
