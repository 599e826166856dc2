using ChatWeb.Server.Hosting;
using ChatWeb.Server.Chat;

namespace ChatWeb.Server.Gateway;

public static class GatewayExtensions
{
    /// <summary>The TCP gateway (netcat, telnet, ChatWeb.Client) into the same room; <see cref="GatewayStatus"/> tells where it listens.</summary>
    public static IHostApplicationBuilder AddTcpGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<GatewayStatus>();
        builder.Services.AddSingleton<GatewayServices>();
        builder.Services.AddSingleton<TcpSignIn>();
        builder.Services.AddSingleton<UnauthenticatedConnectionLog>();
        builder.Services.AddSingleton<GatewayFanOut>();
        builder.Services.AddHostedService(services => services.GetRequiredService<GatewayFanOut>());
        builder.Services.AddHostedService<TcpGateway>();
        builder.Services.AddHealthChecks().AddCheck<GatewayHealthCheck>("gateway", tags: [HealthExtensions.ReadyTag]);
        return builder;
    }
}
