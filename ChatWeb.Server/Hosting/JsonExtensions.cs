using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatWeb.Server.Hosting;

public static class JsonExtensions
{
    /// <summary>The HTTP API speaks the same JSON as the hub: camelCase, enums as lower-case strings.</summary>
    public static IHostApplicationBuilder AddApiJson(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddProblemDetails();
        return builder;
    }
}
