namespace ChatWeb.Server.Memory;

public static class IdleMemoryTrimExtensions
{
    /// <summary>Hands memory back to the system when the server goes quiet after a burst (<see cref="MemoryOptions"/>).</summary>
    public static IHostApplicationBuilder AddIdleMemoryTrim(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MemoryOptions>()
            .BindConfiguration(MemoryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<IdleMemoryTrim>();
        return builder;
    }
}
