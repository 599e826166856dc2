namespace ChatWeb.Bench.Scenarios;

/// <summary>
/// Picks the rates of <c>fanout --step</c>. It doubles the rate until a run saturates (loss, or p99 over a
/// second) or the ceiling is reached, then halves the gap between the highest rate held and the lowest rate
/// above it not held until they are within <paramref name="precision"/> of each other. Held means clean
/// with p99 ≤ 50 ms.
/// </summary>
internal sealed class RateSearch(double startRate, double maxRate, double precision = 1.1, int maxRuns = 14)
{
    private readonly List<(double Rate, bool Held)> _runs = [];
    private bool _saturated;

    /// <summary>The highest rate held; 0 when none was. A slower rate that was not held does not lower it: latency is not monotonic in load (an event-loop server batches more when busier), and one neighbour's hiccup must not pin the search.</summary>
    public double HeldRate => _runs.Where(r => r.Held).Select(r => r.Rate).DefaultIfEmpty(0).Max();

    /// <summary>The lowest rate above <see cref="HeldRate"/> that was not held; infinity when none was.</summary>
    public double FirstFailedRate => _runs.Where(r => !r.Held && r.Rate > HeldRate).Select(r => r.Rate).DefaultIfEmpty(double.PositiveInfinity).Min();

    public double FirstRate => Math.Min(startRate, maxRate);

    /// <summary>Records a run's outcome; returns the next rate to try, or null when the search is done.</summary>
    public double? Next(double rate, bool held, bool saturated)
    {
        _runs.Add((rate, held));
        _saturated |= saturated;
        if (_runs.Count >= maxRuns) return null;

        if (!_saturated && rate < maxRate) return Math.Min(rate * 2, maxRate);

        var heldRate = HeldRate;
        if (heldRate == 0)
        {
            // Nothing held yet: halve below the lowest rate tried until something does, but not forever.
            var lower = _runs.Min(r => r.Rate) / 2;
            return lower >= startRate / 64 ? lower : null;
        }
        var failed = FirstFailedRate;
        if (double.IsPositiveInfinity(failed)) return null;
        return failed / heldRate <= precision ? null : Math.Round(Math.Sqrt(heldRate * failed));
    }
}
