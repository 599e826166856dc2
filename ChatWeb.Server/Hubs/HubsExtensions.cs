using System.Text.Json;
using System.Text.Json.Serialization;
using ChatWeb.Server.Chat;

namespace ChatWeb.Server.Hubs;

public static class HubsExtensions
{
    /// <summary>SignalR with the JSON shapes of docs/protocol.md: camelCase, enums as lower-case strings.</summary>
    public static IHostApplicationBuilder AddChatHub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR()
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddSingleton<IRoomObserver, HubRoomObserver>();
        builder.Services.AddHostedService<AdminLogBroadcaster>();
        return builder;
    }

    public static IEndpointRouteBuilder MapChatHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<ChatHub>(ChatHub.Path);
        app.MapHub<AdminHub>(AdminHub.Path);
        return app;
    }
}
