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
public sealed class ChatWebApplication : WebApplicationFactory<Program>, IChatWebServer
{
    public const string AdminName = "admin";
    public const string AdminPassword = "admin-test-password";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private bool _ownsDirectory;

    /// <param name="dataDirectory">An existing directory (kept afterwards); by default a new temp one, deleted on dispose.</param>
    /// <param name="services">Extra registrations on top of the app's own (e.g. a test health check).</param>
    public ChatWebApplication(string? dataDirectory = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
        : this(dataDirectory, settings, services, ownsDirectory: dataDirectory is null, port: 0)
    {
    }

    /// <param name="port">0 for any free port; a restart may ask for its old one (see <see cref="RestartAsync"/>).</param>
    private ChatWebApplication(string? dataDirectory, IDictionary<string, string?>? settings, Action<IServiceCollection>? services, bool ownsDirectory, int port)
    {
        _ownsDirectory = ownsDirectory;
        _services = services;
        DataDirectory = dataDirectory ?? TempDirectory.Create();
        _settings = new Dictionary<string, string?>
        {
            ["Chat:DataDirectory"] = DataDirectory,
            ["Chat:RatePerSecond"] = "0",
            ["Security:SignInAttemptsPerMinutePerIp"] = "0",
            ["Admin:Password"] = AdminPassword,
            ["Console:Enabled"] = "false",
            // Any free loopback port: parallel test servers never fight over 5555.
            ["Gateway:Port"] = "0",
            ["Gateway:Address"] = "127.0.0.1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;

        UseKestrel(port);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
    }

    public string DataDirectory { get; }

    /// <inheritdoc />
    public Uri BaseAddress { get; }

    /// <summary>Stops this server and starts a new one on the same data directory (and so the same keys): a real restart.</summary>
    /// <param name="samePort">Come back on the same port, as a real server does, so pages still open in a browser find it again.</param>
    public async Task<ChatWebApplication> RestartAsync(IDictionary<string, string?>? settings = null, bool samePort = false)
    {
        var owns = _ownsDirectory;
        _ownsDirectory = false;
        await DisposeAsync();
        return new ChatWebApplication(DataDirectory, settings ?? _settings, _services, owns, samePort ? BaseAddress.Port : 0);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Runs an operator's account action in a service scope of its own, as a request or a console line does.</summary>
    public async Task<T> AdministerAsync<T>(Func<ChatWeb.Server.Accounts.AccountAdministration, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ChatWeb.Server.Accounts.AccountAdministration>());
    }

    /// <summary>A client of the real server; cookies are kept per client.</summary>
    public HttpClient NewClient(bool followRedirects = true) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true }) { BaseAddress = BaseAddress };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Outside Development, static web assets (the build's wwwroot map, compressed copies in obj/) are
        // off, and a browser asking for gzip got an empty 200 for every fingerprinted css/js file.
        builder.UseStaticWebAssets();
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
