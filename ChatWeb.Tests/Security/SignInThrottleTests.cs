using System.Net;
using ChatWeb.Server.Security;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ChatWeb.Tests.Security;

/// <summary>
/// The table behind the sign-in budget: one fixed window per client network, forgotten once its window has
/// passed, so an attacker rotating through addresses cannot make the server keep them all.
/// </summary>
public sealed class SignInThrottleTests : IDisposable
{
    private readonly ManualClock _clock = new();
    private readonly SignInThrottle _throttle;

    public SignInThrottleTests()
    {
        Start = _clock.GetUtcNow();
        _throttle = new SignInThrottle(Options.Create(new SecurityOptions { SignInAttemptsPerMinutePerIp = 30 }), _clock);
    }

    private DateTimeOffset Start { get; }

    public void Dispose() => _throttle.Dispose();

    [Fact]
    public void PartitionsOfIdleNetworksAreForgottenAfterTheirWindow()
    {
        for (var i = 0; i < 1000; i++) Assert.True(_throttle.TryAcquire(IPAddress.Parse($"2001:db8:{i:x}::1")));
        Assert.Equal(1000, _throttle.PartitionCount);

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True(_throttle.TryAcquire(IPAddress.Parse("203.0.113.9")));
        Assert.Equal(1001, _throttle.PartitionCount);

        // The first 1000 windows have passed and nobody came back: only the recent network is kept.
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, _throttle.PartitionCount);
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, _throttle.PartitionCount);
    }

    [Fact]
    public void ForgettingAPartitionNeverGivesBackASpentBudgetEarly()
    {
        var attacker = IPAddress.Parse("203.0.113.9");
        for (var i = 0; i < 30; i++) Assert.True(_throttle.TryAcquire(attacker));
        Assert.False(_throttle.TryAcquire(attacker));

        // Sweeps run every minute; 59 s in, the window still holds, whatever ran meanwhile.
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(_throttle.TryAcquire(attacker));
        Assert.Equal(1, _throttle.PartitionCount);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_throttle.TryAcquire(attacker));
    }

    [Fact]
    public async Task ConcurrentAttemptsAcrossASweepNeverGetMoreThanTheBudget()
    {
        // Sweeps fall due every minute. Each round races 160 attempts of one /64 against the sweep at an odd
        // minute, while the window of the round before (two minutes old) is spent and due to be dropped:
        // an attempt that held the dropped window must not count in it while the others start a new one.
        var slack = TimeSpan.FromMilliseconds(1);
        for (var round = 0; round < 20; round++)
        {
            _clock.Advance(TimeSpan.FromMinutes(2 * round + 1) - slack - (_clock.GetUtcNow() - Start));
            using var start = new ManualResetEventSlim();
            var attempts = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                start.Wait();
                var granted = 0;
                for (var i = 0; i < 20; i++)
                    if (_throttle.TryAcquire(IPAddress.Parse($"2001:db8::{i:x}"))) granted++;
                return granted;
            })).ToList();
            var sweep = Task.Run(() =>
            {
                start.Wait();
                _clock.Advance(slack * 2);
            });
            start.Set();
            await sweep;
            Assert.Equal(30, (await Task.WhenAll(attempts)).Sum());
        }
        Assert.Equal(1, _throttle.PartitionCount);
        Assert.False(_throttle.TryAcquire(IPAddress.Parse("2001:db8::1234")));
    }

    [Fact]
    public void ABudgetOfZeroCountsNothingAndKeepsNothing()
    {
        using var off = new SignInThrottle(Options.Create(new SecurityOptions { SignInAttemptsPerMinutePerIp = 0 }), _clock);
        for (var i = 0; i < 100; i++) Assert.True(off.TryAcquire(IPAddress.Parse("203.0.113.9")));
        Assert.Equal(0, off.PartitionCount);
    }
}
