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
        Assert.Equal(123456, ServerProcess.ParseStatusNumber("VmRSS:\t  123456 kB"));

    [Fact]
    public void ThreadCountIsReadFromALineWithoutAUnit() =>
        Assert.Equal(23, ServerProcess.ParseStatusNumber("Threads:\t23"));

    [Fact]
    public void HandlesAreTheEntriesOfTheFolderLinksIncluded()
    {
        var folder = Directory.CreateTempSubdirectory("bench-fd-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "a"), "");
            Directory.CreateDirectory(Path.Combine(folder.FullName, "b"));
            // Like a socket's entry in /proc/pid/fd: a link to nothing that exists.
            File.CreateSymbolicLink(Path.Combine(folder.FullName, "3"), "socket:[12345]");

            Assert.Equal(3, ServerProcess.CountEntries(folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void AFileTheBenchOpensIsCountedAmongItsHandles()
    {
        var process = new ServerProcess(Environment.ProcessId);
        var path = Path.GetTempFileName();
        try
        {
            var before = process.OpenHandles();
            // Other tests may open and close handles meanwhile; ten open files stand out of that noise.
            var files = Enumerable.Range(0, 10).Select(_ => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)).ToList();
            var during = process.OpenHandles();
            files.ForEach(f => f.Dispose());

            Assert.InRange(during - before, 5, 15);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheBenchCanReadItsOwnProcess()
    {
        var process = new ServerProcess(Environment.ProcessId);
        var sample = process.Sample();
        Assert.True(sample.RssKiB > 1024);
        Assert.True(sample.CpuSeconds >= 0);
        Assert.True(process.Threads() >= 2);
    }

    [Fact]
    public void TheOneMinuteLoadAverageIsTheFirstFigureOfLoadavg()
    {
        Assert.Equal(5.28, MachineLoad.ParseOneMinute("5.28 9.18 8.65 3/412 29917\n"));
        Assert.True(MachineLoad.OneMinute() >= 0);
    }
}
