using ChatWeb.Bench.Measuring;

namespace ChatWeb.Bench.Results;

/// <summary>Which way a measure improves.</summary>
internal enum Better
{
    Higher,
    Lower,
}

/// <summary>
/// One run's value of a measure. <paramref name="Valid"/> is false when the run itself failed (lost messages, clients
/// that could not connect): its number means nothing. <paramref name="GeneratorPercent"/> is the generator's CPU per
/// core during it, when the scenario measures it.
/// </summary>
internal readonly record struct Measured(double Value, bool Valid, GeneratorState Generator, double? GeneratorPercent = null);

/// <summary>A measure's verdict, current against base: the ratio current / base and what it means.</summary>
internal readonly record struct Verdict(double? Ratio, string Text);

/// <summary>
/// Judges the current tree against its base on one measure, from the runs of each (medians, when a run was repeated).
/// Within <see cref="Tolerance"/> of the base or better is ok. A measure that the generator's limit decides (a held
/// rate, a storm's wall time) is not judged when either side's generator was past its limit: it would compare the
/// generator with itself. CPU per delivery at a fixed offered load is judged regardless: the load was the same.
/// </summary>
internal static class BaselineVerdict
{
    public const double Tolerance = 0.10;

    public const string Ok = "ok";
    public const string Worse = "worse";
    public const string GeneratorBound = "not judged: generator-bound";
    public const string Failed = "not judged: a run failed";
    public const string Missing = "not judged: missing";

    public static Verdict Judge(IReadOnlyList<Measured> baseRuns, IReadOnlyList<Measured> currentRuns, Better better, bool generatorDecides)
    {
        if (baseRuns.Count == 0 || currentRuns.Count == 0) return new Verdict(null, Missing);
        var baseValue = Median(baseRuns.Select(r => r.Value));
        var currentValue = Median(currentRuns.Select(r => r.Value));
        double? ratio = baseValue > 0 ? Math.Round(currentValue / baseValue, 2) : null;
        if (baseRuns.Concat(currentRuns).Any(r => !r.Valid)) return new Verdict(ratio, Failed);
        if (generatorDecides && baseRuns.Concat(currentRuns).Any(r => r.Generator != GeneratorState.Free)) return new Verdict(ratio, GeneratorBound);
        return new Verdict(ratio, Judge(baseValue, currentValue, better));
    }

    /// <summary>Ok when <paramref name="current"/> is at most <see cref="Tolerance"/> worse than <paramref name="baseValue"/>.</summary>
    public static string Judge(double baseValue, double current, Better better) => better switch
    {
        Better.Higher => current >= baseValue * (1 - Tolerance) ? Ok : Worse,
        _ => current <= baseValue * (1 + Tolerance) ? Ok : Worse,
    };

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no values");
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
