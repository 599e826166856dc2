using ChatWeb.Server.Hosting;
using ChatWeb.Server.Chat;

namespace ChatWeb.Server.History;

public static class HistoryExtensions
{
    /// <summary>The room's history, kept in daily CSV files under the data directory.</summary>
    public static IHostApplicationBuilder AddHistory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddDataDirectory();
        builder.Services.AddSingleton<CsvChatHistory>();
        builder.Services.AddSingleton<IChatHistory>(sp => sp.GetRequiredService<CsvChatHistory>());
        builder.Services.AddHealthChecks().AddCheck<HistoryHealthCheck>(HistoryHealthCheck.Name, tags: [HealthExtensions.ReadyTag]);
        return builder;
    }
}
