namespace ChatWeb.Server.Control;

public static class ControlExtensions
{
    /// <summary>Operator actions and the rules that tie accounts to live connections.</summary>
    public static IHostApplicationBuilder AddServerControl(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<SessionRevocation>();
        return builder;
    }
}
