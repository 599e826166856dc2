using System.Diagnostics;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>
/// Waiting for a condition the server reaches on its own time, without fixed sleeps: the one polling loop of the
/// tests. A wait that runs out fails with what never happened, so a timeout reads as a test failure, not a hang.
/// For "nothing else arrived" do not wait at all: send a sentinel after the action and wait for that.
/// </summary>
public static class Wait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits until <paramref name="condition"/> holds; <paramref name="what"/> names it for the failure.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), () => what, timeout);

    /// <summary>Waits until <paramref name="condition"/> holds; <paramref name="explain"/> says, when it runs out, what the state was then.</summary>
    public static Task UntilAsync(Func<bool> condition, Func<string> explain, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), explain, timeout);

    /// <summary>Waits until an asynchronous <paramref name="condition"/> (a request, a connection attempt) holds.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(condition, () => what, timeout);

    /// <summary>
    /// Waits until an asynchronous <paramref name="condition"/> holds. An exception from the condition ends the wait at once:
    /// a condition that can tell it will never hold (the process exited, the connection closed) throws.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> explain, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit) throw new TimeoutException($"waited {limit.TotalSeconds:0.#} s for: {explain()}");
            await Task.Delay(PollEvery);
        }
    }

    /// <summary>Waits until <paramref name="probe"/> returns a value (not null) and returns it.</summary>
    public static async Task<T> ForAsync<T>(Func<T?> probe, Func<string> explain, TimeSpan? timeout = null) where T : class
    {
        T? found = null;
        await UntilAsync(() => (found = probe()) is not null, explain, timeout);
        return found!;
    }

    /// <summary>Waits until an asynchronous <paramref name="probe"/> returns a value (not null) and returns it.</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T?>> probe, Func<string> explain, TimeSpan? timeout = null) where T : class
    {
        T? found = null;
        await UntilAsync(async () => (found = await probe()) is not null, explain, timeout);
        return found!;
    }
}
