using Microsoft.Extensions.DependencyInjection;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>
/// A test class whose every test gets its own fresh server (xunit makes one instance per test), stopped
/// and its data directory deleted afterwards. Settings are the few a test class is about.
/// </summary>
public abstract class ServerTest(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) : IAsyncLifetime
{
    protected ChatWebApplication App { get; } = new(settings: settings, services: services);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync() => await App.DisposeAsync();
}
