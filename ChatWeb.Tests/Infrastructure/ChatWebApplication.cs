using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>
/// ChatWeb on a real Kestrel at a loopback port, with its own data directory (Data Protection keys
/// included, so a second instance on the same directory is a real restart). Limits that a test is not
/// about are turned off through configuration, as an operator would.
/// </summary>
public sealed class ChatWebApplication : WebApplicationFactory<Program>
{
    public const string AdminName = "admin";
    public const string AdminPassword = "admin-test-password";

    private readonly bool _ownsDirectory;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Extra registrations on top of the app's own (e.g. a test health check).</param>
    public ChatWebApplication(string? dataDirectory = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _ownsDirectory = dataDirectory is null;
        _services = services;
        DataDirectory = dataDirectory ?? TempDirectory.Create();
        _settings = new Dictionary<string, string?>
        {
            ["Chat:DataDirectory"] = DataDirectory,
            ["Chat:RatePerSecond"] = "0",
            ["Admin:Password"] = AdminPassword,
            ["Console:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;

        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
    }

    public string DataDirectory { get; }

    /// <summary>The real HTTP address (http://127.0.0.1:port).</summary>
    public Uri BaseAddress { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A client of the real server; cookies are kept per client.</summary>
    public HttpClient NewClient(bool followRedirects = true) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true }) { BaseAddress = BaseAddress };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        if (_services is not null) builder.ConfigureServices(_services);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDirectory) TempDirectory.Delete(DataDirectory);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDirectory) TempDirectory.Delete(DataDirectory);
    }
}
