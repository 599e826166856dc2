using ChatWeb.Server.Memory;

namespace ChatWeb.Tests.Memory;

public sealed class QuietTrimPolicyTests
{
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    // A clock and counters the test moves by hand: one sample per call, a second apart unless told otherwise.
    private sealed class Process(QuietTrimPolicy policy)
    {
        public TimeSpan Now;
        public long Allocated, Live;

        public bool Second(long allocated = 0, double seconds = 1)
        {
            Now += TimeSpan.FromSeconds(seconds);
            Allocated += allocated;
            return policy.ShouldTrim(Allocated, Live, Now);
        }
    }

    [Fact]
    public void ABurstFollowedByQuietIsTrimmedOnceAndNotAgainUntilTheNextBurst()
    {
        var process = new Process(new QuietTrimPolicy(Quiet, 16 * MiB));
        Assert.False(process.Second());
        Assert.False(process.Second(allocated: 100 * MiB));

        Assert.False(process.Second());
        Assert.True(process.Second());

        // Idle chatter (keep-alives) never adds up to a trim on its own within a minute.
        for (var i = 0; i < 60; i++) Assert.False(process.Second(allocated: MiB / 4));
        Assert.False(process.Second(allocated: 20 * MiB));
        Assert.False(process.Second());
        Assert.True(process.Second());
    }

    [Fact]
    public void ABusyServerIsNeverTrimmedAndEachBusySecondStartsTheQuietAgain()
    {
        var process = new Process(new QuietTrimPolicy(Quiet, 16 * MiB));
        process.Second();
        for (var i = 0; i < 20; i++) Assert.False(process.Second(allocated: 50 * MiB));

        Assert.False(process.Second());
        Assert.False(process.Second(allocated: 2 * MiB));
        Assert.False(process.Second());
        Assert.True(process.Second());
    }

    [Fact]
    public void TooLittleGarbageIsNotWorthATrimAndTheBarRisesWithWhatIsLive()
    {
        var process = new Process(new QuietTrimPolicy(Quiet, 16 * MiB)) { Live = 200 * MiB };
        process.Second();
        process.Second(allocated: 150 * MiB);
        for (var i = 0; i < 5; i++) Assert.False(process.Second());

        // More garbage than live memory: now a trim at least halves what the heap could hold.
        process.Second(allocated: 60 * MiB);
        Assert.False(process.Second());
        Assert.True(process.Second());
    }

    [Fact]
    public void TicksThatComeBunchedUpDoNotCountAsASecondOfQuiet()
    {
        var process = new Process(new QuietTrimPolicy(Quiet, 16 * MiB));
        process.Second();
        process.Second(allocated: 100 * MiB);
        // A late timer fires three ticks within a few milliseconds: the quiet is still only one second old.
        Assert.False(process.Second());
        Assert.False(process.Second(seconds: 0.005));
        Assert.False(process.Second(seconds: 0.005));
        Assert.True(process.Second(seconds: 0.99));
    }
}
