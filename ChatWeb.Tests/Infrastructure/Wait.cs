namespace ChatWeb.Tests.Infrastructure;

/// <summary>Waiting for a condition the server reaches on its own time, without fixed sleeps.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, Func<string> explain, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition never held: " + explain());
            await Task.Delay(20);
        }
    }
}
