namespace ChatWeb.Server.Chat;

public static class ChatExtensions
{
    /// <summary>
    /// The room: its sequencer and stream (one process; a shared database can stand behind the same two interfaces),
    /// presence, admission state, and the shutdown that closes it. Transports subscribe to <see cref="IRoomStream"/>.
    /// </summary>
    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatOptions>()
            .BindConfiguration(ChatOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RoomAdmission>();
        builder.Services.AddSingleton<UserRateLimiter>();
        builder.Services.AddSingleton<RoomPresence>();
        builder.Services.AddSingleton<RoomStream>();
        builder.Services.AddSingleton<IRoomStream>(services => services.GetRequiredService<RoomStream>());
        builder.Services.AddSingleton<RoomSequencer>();
        builder.Services.AddSingleton<IRoomSequencer>(services => services.GetRequiredService<RoomSequencer>());
        builder.Services.AddHostedService(services => services.GetRequiredService<RoomSequencer>());
        builder.Services.AddSingleton<ChatRoom>();
        builder.Services.AddHostedService<RoomShutdown>();
        return builder;
    }
}
