namespace ChatWeb.Server.Hosting;

public static class DataDirectoryExtensions
{
    /// <summary>
    /// The data directory and its readiness check, once however many features ask for it (logging, history and
    /// accounts each need it and none may assume another was added first).
    /// </summary>
    public static IServiceCollection AddDataDirectory(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(DataDirectory))) return services;
        services.AddOptions<DataDirectoryOptions>()
            .BindConfiguration(DataDirectoryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<DataDirectory>();
        // A hung disk must not hang the probe: the check gives up after the timeout and counts as failed.
        services.AddHealthChecks().AddCheck<DataDirectoryHealthCheck>(
            DataDirectoryHealthCheck.Name, tags: [HealthExtensions.ReadyTag], timeout: TimeSpan.FromSeconds(5));
        return services;
    }
}
