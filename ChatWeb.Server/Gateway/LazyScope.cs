namespace ChatWeb.Server.Gateway;

/// <summary>A service scope made the first time a scoped service is asked for, so a path that needs none never builds one.</summary>
internal sealed class LazyScope(IServiceScopeFactory scopes) : IAsyncDisposable
{
    private AsyncServiceScope? _scope;

    public T Get<T>() where T : notnull => (_scope ??= scopes.CreateAsyncScope()).ServiceProvider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _scope is { } scope ? scope.DisposeAsync() : ValueTask.CompletedTask;
}
