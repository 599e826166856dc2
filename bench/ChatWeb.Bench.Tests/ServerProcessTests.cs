using ChatWeb.Bench.Measuring;

namespace ChatWeb.Bench.Tests;

public sealed class ServerProcessTests
{
    [Fact]
    public void CpuSecondsAreUserPlusSystemTimeEvenWhenTheCommandNameHasSpaces()
    {
        const string stat = "4242 (dotnet (x) y) S 1 4242 4242 0 -1 4194560 26000 0 12 0 1234 566 0 0 20 0 30 0 5000 3000000000 40000 18446744073709551615";
        Assert.Equal(18.0, ServerProcess.ParseStatCpuSeconds(stat), precision: 6);
    }

    [Fact]
    public void ResidentMemoryIsReadInKibibytes() =>
        Assert.Equal(123456, ServerProcess.ParseStatusKiB("VmRSS:\t  123456 kB"));

    [Fact]
    public void TheBenchCanReadItsOwnProcess()
    {
        var sample = new ServerProcess(Environment.ProcessId).Sample();
        Assert.True(sample.RssKiB > 1024);
        Assert.True(sample.CpuSeconds >= 0);
    }
}
