namespace ChatWeb.Tests.Infrastructure;

/// <summary>
/// A test class whose every test gets its own fresh server (xunit makes one instance per test), stopped
/// and its data directory deleted afterwards. Settings are the few a test class is about.
/// </summary>
public abstract class ServerTest(IDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    protected ChatWebApplication App { get; } = new(settings: settings);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync() => await App.DisposeAsync();
}
