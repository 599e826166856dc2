using ChatWeb.Bench.Measuring;
using ChatWeb.Bench.Results;

namespace ChatWeb.Bench.Tests;

public sealed class BaselineVerdictTests
{
    [Theory]
    [InlineData(100.0, 91.0, true, BaselineVerdict.Ok)]
    [InlineData(100.0, 89.0, true, BaselineVerdict.Worse)]
    [InlineData(100.0, 250.0, true, BaselineVerdict.Ok)]
    [InlineData(1.00, 1.09, false, BaselineVerdict.Ok)]
    [InlineData(1.00, 1.11, false, BaselineVerdict.Worse)]
    [InlineData(1.00, 0.50, false, BaselineVerdict.Ok)]
    public void WithinTenPercentOfTheBaseOrBetterIsOk(double baseValue, double current, bool higherIsBetter, string expected) =>
        Assert.Equal(expected, BaselineVerdict.Judge(baseValue, current, higherIsBetter ? Better.Higher : Better.Lower));

    [Fact]
    public void RepeatedRunsAreJudgedOnTheirMediansAndTheRatioIsCurrentOverBase()
    {
        var verdict = BaselineVerdict.Judge([Free(100), Free(300), Free(200)], [Free(180), Free(200)], Better.Higher, generatorDecides: true);

        Assert.Equal(new Verdict(0.95, BaselineVerdict.Ok), verdict);
    }

    [Fact]
    public void AHeldRateIsNotJudgedWhenEitherSidesGeneratorWasPastItsLimit()
    {
        var bound = new Measured(1_410_000, Valid: true, GeneratorState.Bound, 96);

        Assert.Equal(BaselineVerdict.GeneratorBound, BaselineVerdict.Judge([bound], [Free(700_000)], Better.Higher, generatorDecides: true).Text);
        Assert.Equal(BaselineVerdict.GeneratorBound,
            BaselineVerdict.Judge([Free(1)], [new Measured(1, true, GeneratorState.Crowded)], Better.Higher, generatorDecides: true).Text);
    }

    [Fact]
    public void CpuPerDeliveryAtAFixedLoadIsJudgedWhateverTheGeneratorDid()
    {
        var bound = new Measured(0.90, Valid: true, GeneratorState.Bound, 96);

        Assert.Equal(BaselineVerdict.Worse, BaselineVerdict.Judge([Free(0.50)], [bound], Better.Lower, generatorDecides: false).Text);
    }

    [Fact]
    public void AFailedRunOrAMissingSideIsNotJudged()
    {
        Assert.Equal(BaselineVerdict.Failed,
            BaselineVerdict.Judge([Free(5)], [new Measured(5, Valid: false, GeneratorState.Free)], Better.Lower, generatorDecides: false).Text);
        Assert.Equal(new Verdict(null, BaselineVerdict.Missing), BaselineVerdict.Judge([Free(5)], [], Better.Lower, generatorDecides: false));
    }

    [Fact]
    public void TheMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo()
    {
        Assert.Equal(2.5, BaselineVerdict.Median([4, 1, 3, 2]));
        Assert.Equal(3, BaselineVerdict.Median([5, 3, 1]));
    }

    [Fact]
    public void TheComparisonPairsTheTwoTargetsScenarioByScenarioAndIgnoresOthers()
    {
        RunResult[] results =
        [
            GeneratorLoadTests.Run(generator: 30, cpuPerMillion: 2.0, fixedLoad: 150_000, target: "chatweb-base"),
            GeneratorLoadTests.Run(generator: 31, cpuPerMillion: 2.4, fixedLoad: 150_000, target: "chatweb"),
            new FanoutStepResult("chatweb-base", "tcp", 1000, 5, 210, 229, 8, GeneratorLoadTests.Run(generator: 70), GeneratorLoadTests.Run(generator: 97)),
            new FanoutStepResult("chatweb", "tcp", 1000, 5, 210, 229, 8, GeneratorLoadTests.Run(generator: 70), GeneratorLoadTests.Run(generator: 60)),
            new IdleResult("chatweb-base", "hub", 300, 300, 0, 1, 1000, 2000, 5.0, null),
            new IdleResult("chatweb", "hub", 300, 300, 0, 1, 1000, 2000, 5.4, null),
            new IdleResult("ngircd", "irc", 300, 300, 0, 1, 1000, 2000, 99, null),
        ];

        var rows = BaselineTable.Rows(results, "chatweb-base", "chatweb");

        Assert.Equal(
            [
                ("fanout tcp 1000/5", "server CPU s per M deliveries at 150 k/s", BaselineVerdict.Worse),
                ("fanout tcp 1000/5", "held deliveries/s", BaselineVerdict.GeneratorBound),
                ("idle hub 300", "server RSS KiB per connection", BaselineVerdict.Ok),
            ],
            rows.Select(r => (r.Scenario, r.Measure, r.Verdict.Text)));
        Assert.All(rows, r => Assert.Equal((1, 1), (r.Base.Count, r.Current.Count)));
    }

    private static Measured Free(double value) => new(value, Valid: true, GeneratorState.Free);
}
