using ChatWeb.Server.Accounts;
using Serilog.Core;

namespace ChatWeb.Server.AdminLog;

public static class AdminLogExtensions
{
    /// <summary>
    /// The admin's view of the logs: the log page's tail of log.txt, the live stream to <see cref="AdminHub"/>,
    /// and the operator's log actions (<see cref="ServerLogs"/>). The hub runs on the SignalR that AddChatHub sets
    /// up, with the same guarded JSON protocol; adding SignalR again here would register the plain protocol beside it.
    /// </summary>
    public static IHostApplicationBuilder AddAdminLog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LiveLog>();
        // The server's logger writes to every registered sink; this one feeds the admin hub.
        builder.Services.AddSingleton<ILogEventSink>(services => services.GetRequiredService<LiveLog>());
        builder.Services.AddSingleton<LogTail>();
        builder.Services.AddSingleton<ServerLogs>();
        builder.Services.AddHostedService<AdminLogBroadcaster>();
        builder.Services.AddSingleton<AdminHubSessions>();
        builder.Services.AddSingleton<ISessionChannel>(services => services.GetRequiredService<AdminHubSessions>());
        return builder;
    }

    public static IEndpointRouteBuilder MapAdminLog(this IEndpointRouteBuilder app)
    {
        app.MapHub<AdminHub>(AdminHub.Path);
        return app;
    }
}
