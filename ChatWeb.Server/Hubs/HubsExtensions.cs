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

    /// <summary>SignalR with the JSON shapes of docs/protocol.md: camelCase, enums as lower-case strings. The admin log's hub runs on it too.</summary>
    public static IHostApplicationBuilder AddChatHub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR(options => options.MaximumReceiveMessageSize = MaxMessageBytes)
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)))
            // A client's next message is taken while the room stores the one before, as the gateway does for a TCP
            // client's lines. Order is kept: SignalR starts invocations in the order they arrive, and Send puts its
            // message in the room's queue before its first await.
            .AddHubOptions<ChatHub>(options => options.MaximumParallelInvocationsPerClient = ChatRoom.MaxPostsInFlight);
        // The JSON protocol, guarded where it parses client bytes (see GuardedJsonHubProtocol).
        foreach (var plain in builder.Services.Where(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(JsonHubProtocol)).ToList())
            builder.Services.Remove(plain);
        builder.Services.AddSingleton<IHubProtocol>(services => new GuardedJsonHubProtocol(
            new JsonHubProtocol(services.GetRequiredService<IOptions<JsonHubProtocolOptions>>()), MaxMessageBytes));
        builder.Services.AddOptions<ChatHubOptions>()
            .BindConfiguration(ChatHubOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // SignalR's own, which also lets the fan-out write a batch to each connection directly (RoomHubLifetimeManager).
        builder.Services.AddSingleton<HubLifetimeManager<ChatHub>, RoomHubLifetimeManager>();
        builder.Services.AddSingleton<HubFanOut>();
        builder.Services.AddHostedService(services => services.GetRequiredService<HubFanOut>());
        return builder;
    }

    public static IEndpointRouteBuilder MapChatHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<ChatHub>(ChatHub.Path);
        return app;
    }
}
