using ChatWeb.Bench.Measuring;
using ChatWeb.Bench.Results;
using ChatWeb.Bench.Scenarios;

namespace ChatWeb.Bench.Tests;

public sealed class GeneratorLoadTests
{
    [Theory]
    [InlineData(84.9, 50.0, "Free")]
    [InlineData(85.0, 85.0, "Bound")]
    [InlineData(96.0, 99.0, "Bound")]
    [InlineData(40.0, 92.0, "Crowded")]
    public void APointIsMarkedOnceTheGeneratorsCoreIsPastTheLimitByItsOwnWorkOrByEveryones(double own, double core, string expected) =>
        Assert.Equal(Enum.Parse<GeneratorState>(expected), GeneratorLoad.Classify(own, core));

    [Fact]
    public void AnOlderResultWithoutTheCoresBusyShareIsMarkedByTheGeneratorsOwnShare()
    {
        Assert.Equal(GeneratorState.Bound, GeneratorLoad.Classify(96, null));
        Assert.Equal(GeneratorState.Free, GeneratorLoad.Classify(82, null));
    }

    [Fact]
    public void TheGeneratorsShareIsItsCpuTimeOverTheTimeOfTheCoresItMayUse()
    {
        Assert.Equal(90, GeneratorMeter.PercentPerCore(cpuSeconds: 2.7, wallSeconds: 3, cores: 1), precision: 6);
        Assert.Equal(45, GeneratorMeter.PercentPerCore(cpuSeconds: 2.7, wallSeconds: 3, cores: 2), precision: 6);
        Assert.Equal(0, GeneratorMeter.PercentPerCore(cpuSeconds: 1, wallSeconds: 0, cores: 1));
    }

    [Fact]
    public void TheBusiestCoreCountsOnlyTheCoresTheGeneratorMayUseAndStealAsBusy()
    {
        const string before = "cpu  300 0 300 600 0 0 0 0 0 0\ncpu0 100 0 100 800 0 0 0 0 0 0\ncpu1 200 0 200 590 10 0 0 0 0 0\nintr 1 2 3\n";
        // Over the interval: core 0 busy 900 of 1000 ticks; core 1 busy 500 of 1000 (100 of them stolen), 50 waiting on I/O.
        const string after = "cpu  0 0 0 0 0 0 0 0 0 0\ncpu0 600 0 500 900 0 0 0 0 0 0\ncpu1 500 0 300 1040 60 0 0 100 0 0\n";

        var busiest = GeneratorMeter.BusiestCorePercent(GeneratorMeter.ParseProcStat(before), GeneratorMeter.ParseProcStat(after), [1]);

        Assert.Equal(50, busiest, precision: 6);
    }

    [Fact]
    public void TheProcStatTotalLineIsNotACore() =>
        Assert.Equal([0, 1], GeneratorMeter.ParseProcStat("cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 0 0 1 0 0 0 0\ncpu1 1 0 0 1 0 0 0 0\n").Keys.Order());

    [Theory]
    [InlineData("1", new[] { 1 })]
    [InlineData(" 0-1", new[] { 0, 1 })]
    [InlineData("0,2-4", new[] { 0, 2, 3, 4 })]
    public void TheAllowedCoresAreReadFromTheKernelsList(string list, int[] expected) =>
        Assert.Equal(expected, GeneratorMeter.ParseCpuList(list));

    [Fact]
    public void AStepResultIsGeneratorBoundWhenTheRunThatEndedTheSearchWasEvenIfTheHeldRunWasNot()
    {
        var step = new FanoutStepResult("chatweb", "tcp", 1000, 5, 210, 229, 9, Run(generator: 84), FirstFailed: Run(generator: 97));

        Assert.Equal(GeneratorState.Bound, step.Generator);
        Assert.Equal(GeneratorState.Free, (step with { FirstFailed = Run(generator: 60) }).Generator);
    }

    [Fact]
    public void CpuPerMillionDeliveriesIsTheServersCpuSecondsOverTheDeliveriesInMillions()
    {
        Assert.Equal(0.59, ServerUsage.CpuSecondsPerMillion(cpuSeconds: 2.5, deliveries: 4_235_760), precision: 2);
        Assert.Equal(4.0, ServerUsage.CpuSecondsPerMillion(cpuSeconds: 0.6, deliveries: 150_000), precision: 6);
        Assert.Equal(0, ServerUsage.CpuSecondsPerMillion(cpuSeconds: 1.2, deliveries: 0));
    }

    [Fact]
    public void AFixedLoadIsOfferedAsTheMessageRateThatReachesEveryClientAtLeastOnePerSender()
    {
        var settings = new FanoutSettings("chatweb", "tcp", 1000, 5, 250, 3, 64, 3, 1_000_000, 3, [50_000, 150_000], 10);

        Assert.Equal(50, settings.RateFor(50_000));
        Assert.Equal(150, settings.RateFor(150_000));
        Assert.Equal(5, settings.RateFor(100));
    }

    internal static FanoutResult Run(double generator, double? core = null, double cpuPerMillion = 1, long lost = 0, double? fixedLoad = null, string target = "chatweb") =>
        new(target, "tcp", 1000, 5, 64, 200, 3, 600, 0, 599_400, 599_400 - lost, 199_800, new LatencySummary(10, 20, 30, 40), lost, 0, 0, 0,
            new ServerUsage(1000, 1000, 0.6), cpuPerMillion, generator, 1, core, fixedLoad);
}
