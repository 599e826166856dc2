using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatWeb.Server.Hosting;

/// <summary>
/// Where the server keeps its files. The key stays <c>Chat:DataDirectory</c>: the README, the Dockerfile, the launch
/// profiles and every deployment already name it, and the options binder ignores the <c>Chat</c> keys that belong
/// to the room.
/// </summary>
public sealed class DataDirectoryOptions
{
    public const string Section = "Chat";

    /// <summary>Where logins.csv, history/, log.txt and keys/ live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";
}

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
        services.TryAddSingleton<DataDirectory>();
        // A hung disk must not hang the probe: the check gives up after the timeout and counts as failed.
        services.AddHealthChecks().AddCheck<DataDirectoryHealthCheck>(
            DataDirectoryHealthCheck.Name, tags: [HealthExtensions.ReadyTag], timeout: TimeSpan.FromSeconds(5));
        return services;
    }
}
