using System.Text.Json;
using System.Text.Json.Serialization;
using ChatWeb.Server.Chat;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Hubs;

public static class HubsExtensions
{
    /// <summary>SignalR's default receive limit, stated here because the hub's contract (docs/protocol.md) promises it.</summary>
    public const int MaxMessageBytes = 32 * 1024;

    /// <summary>SignalR with the JSON shapes of docs/protocol.md: camelCase, enums as lower-case strings.</summary>
    public static IHostApplicationBuilder AddChatHub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR(options => options.MaximumReceiveMessageSize = MaxMessageBytes)
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        // The JSON protocol, guarded where it parses client bytes (see GuardedJsonHubProtocol).
        foreach (var plain in builder.Services.Where(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(JsonHubProtocol)).ToList())
            builder.Services.Remove(plain);
        builder.Services.AddSingleton<IHubProtocol>(services => new GuardedJsonHubProtocol(
            new JsonHubProtocol(services.GetRequiredService<IOptions<JsonHubProtocolOptions>>()), MaxMessageBytes));
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
