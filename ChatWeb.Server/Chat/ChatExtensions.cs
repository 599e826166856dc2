namespace ChatWeb.Server.Chat;

public static class ChatExtensions
{
    /// <summary>The room, its presence registry and its admission state. Transports add their <see cref="IRoomObserver"/>.</summary>
    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatOptions>()
            .BindConfiguration(ChatOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<RoomAdmission>();
        builder.Services.AddSingleton<UserRateLimiter>();
        builder.Services.AddSingleton<ChatRoom>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChatRoom>());
        return builder;
    }
}
