using ChatWeb.Bench.Measuring;
using ChatWeb.Bench.Results;

namespace ChatWeb.Bench.Tests;

public sealed class SoakReportTests
{
    [Fact]
    public void AResourceIsReadAloneJoinedMidChatAtTheEndAtItsHighestAndAfterEveryoneLeft()
    {
        var samples = new[]
        {
            Sample(SoakPhase.Baseline, 0, rss: 100),
            Sample(SoakPhase.Joined, 10, rss: 150),
            Sample(SoakPhase.Chatting, 20, rss: 170),
            Sample(SoakPhase.Chatting, 30, rss: 210),
            Sample(SoakPhase.Chatting, 40, rss: 190),
            Sample(SoakPhase.Drained, 50, rss: 180),
            Sample(SoakPhase.Left, 55, rss: 120),
        };

        Assert.Equal(new ResourceSeries(Baseline: 100, Joined: 150, Middle: 210, Last: 180, Max: 210, AfterLeft: 120),
            ResourceSeries.Of(samples, s => s.RssKiB));
    }

    [Fact]
    public void AResourceSeriesNeedsSamplesWithTheClientsInTheRoom() =>
        Assert.Throws<ArgumentException>(() => ResourceSeries.Of([Sample(SoakPhase.Baseline, 0, rss: 1)], s => s.RssKiB));

    [Fact]
    public void TheTimeSeriesKeepsEveryPhaseAndTheFirstChattingSampleOfEachMinute()
    {
        var samples = new List<SoakSample> { Sample(SoakPhase.Baseline, 0), Sample(SoakPhase.Joined, 12) };
        for (var seconds = 22; seconds <= 182; seconds += 10) samples.Add(Sample(SoakPhase.Chatting, seconds));
        samples.Add(Sample(SoakPhase.Drained, 185));
        samples.Add(Sample(SoakPhase.Left, 190));

        var kept = SoakTable.Thin(samples, 60);

        Assert.Equal([0, 12, 62, 122, 182, 185, 190], kept.Select(s => s.ElapsedSeconds));
        Assert.Equal(samples.Count, SoakTable.Thin(samples, 0).Count);
    }

    [Theory]
    [InlineData(0, "0:00")]
    [InlineData(59.9, "0:59")]
    [InlineData(754.2, "12:34")]
    [InlineData(3600, "60:00")]
    public void ElapsedTimeIsShownInMinutesAndSeconds(double seconds, string shown) =>
        Assert.Equal(shown, SoakTable.Clock(seconds));

    [Fact]
    public void TheProgressLineSaysWhereTheServerAndTheRoomAre()
    {
        var line = SoakTable.ProgressLine(Sample(SoakPhase.Chatting, 200, rss: 250 * 1024) with
        {
            Handles = 1043, Threads = 37, Sent = 20_000, Expected = 9_980_000, Delivered = 9_979_688, Outstanding = 312, LogWarnings = 1,
        });

        Assert.Equal("soak 3:20 chatting (load 1.3): RSS 250 MiB, 1043 handles, 37 threads, CPU 0.0 s; sent 20,000, delivered 9,979,688 of 9,980,000 "
            + "(312 outstanding); 0 cut off, churn 0 in/0 failed, 0 error lines, log 0 ERR/1 WRN", line);
    }

    [Fact]
    public void ASoakWrittenToTheResultsFileIsReadBackAndReported()
    {
        var path = Path.GetTempFileName();
        try
        {
            var log = new ResultLog(path);
            SoakSample[] samples = [Sample(SoakPhase.Baseline, 0, rss: 100 * 1024), Sample(SoakPhase.Joined, 5, rss: 120 * 1024), Sample(SoakPhase.Left, 70, rss: 110 * 1024)];
            foreach (var sample in samples) log.Write(sample);
            log.Write(Summary(lost: 3));

            var read = ResultLog.Read(path);
            var report = new StringWriter();
            ResultTable.Print(read, report, everyRun: false);

            Assert.Equal(4, read.Count);
            Assert.Equal(samples[1], read[1]);
            Assert.False(((SoakResult)read[3]).Clean);
            Assert.Contains("| 1:10 | left     | 1.3  | 110     |", report.ToString());
            Assert.Contains("NOT clean", report.ToString());
            Assert.Contains("| RSS MiB      | 100   | 120        | 130      | 140         | 150     | 110            |", report.ToString());
            Assert.Contains("| open handles | 300   | 800        |", report.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ASoakIsCleanOnlyWhenNothingWasLostRefusedOrLogged()
    {
        Assert.True(Summary(lost: 0).Clean);
        Assert.False(Summary(lost: 1).Clean);
        Assert.False((Summary(lost: 0) with { ServerErrorLines = 1 }).Clean);
        Assert.False((Summary(lost: 0) with { LogErrors = 1 }).Clean);
        Assert.False((Summary(lost: 0) with { ChurnFailures = 1 }).Clean);
        Assert.True((Summary(lost: 0) with { LogWarnings = 5 }).Clean);
    }

    private static SoakSample Sample(string phase, double seconds, long rss = 0) =>
        new("chatweb", "mixed", phase, seconds, 1.25, rss, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private static SoakResult Summary(long lost)
    {
        var rss = new ResourceSeries(100 * 1024, 120 * 1024, 130 * 1024, 140 * 1024, 150 * 1024, 110 * 1024);
        var handles = new ResourceSeries(300, 800, 810, 805, 820, 301);
        var threads = new ResourceSeries(15, 20, 21, 21, 22, 16);
        return new SoakResult("chatweb", "mixed", 2, 0, 0.2, 60, 64, 24, 0, 46, 46 - lost, lost, 0, 0, 0,
            LatencySummary.From(new LatencyHistogram()), 0, 0, 0, 0, 0, 0, null, null, null, rss, handles, threads, 1.5, 3);
    }
}
