using ChatWeb.Bench.Measuring;
using ChatWeb.Bench.Results;
using ChatWeb.Bench.Transports;

namespace ChatWeb.Bench.Scenarios;

/// <summary>
/// What a fan-out measures: the room, who sends, how fast, for how long. <see cref="FixedDeliveries"/>: offered loads
/// in deliveries per second, each run once for <see cref="FixedSeconds"/> before the rate asked for (or its search),
/// to compare servers' CPU per delivery at the same load.
/// </summary>
internal sealed record FanoutSettings(
    string Target, string Transport, int Clients, int Senders, double Rate, double Seconds, int TextBytes, double DrainSeconds, double MaxRate,
    double WarmUpSeconds, IReadOnlyList<double> FixedDeliveries, double FixedSeconds)
{
    /// <summary>The message rate that offers about <paramref name="deliveriesPerSecond"/>: every message goes to every client in the room (but its sender, on some transports).</summary>
    public double RateFor(double deliveriesPerSecond) => Math.Max(Senders, Math.Round(deliveriesPerSecond / Clients));
}

/// <summary>
/// <c>fanout</c>: N clients in the room, the first S of them sending at an aggregate rate for D seconds;
/// every client counts what it receives. With <c>--step</c> the rate is searched (<see cref="RateSearch"/>)
/// over the same room.
/// </summary>
internal sealed class FanoutScenario(ServerUnderTest server, ServerProcess process, FanoutSettings settings, ResultLog log)
{
    private static readonly TimeSpan QuietBetweenRuns = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(30);

    private int _run;

    public async Task RunAsync(bool step, CancellationToken cancellationToken)
    {
        if (settings.Senders < 1 || settings.Senders > settings.Clients) throw new ArgumentException("--senders must be between 1 and --clients");
        await using var group = new ClientGroup(server, settings.Transport, SignInPath.Resume);
        ResultLog.Progress($"{settings.Target}/{settings.Transport}: joining {settings.Clients} clients");
        var errors = await group.JoinAsync(settings.Clients, cancellationToken);
        if (errors.Count > 0) throw new BenchClientException($"{errors.Count} of {settings.Clients} clients could not join; first: {errors[0]}");
        GiveStats(group);
        await group.SettleAsync(QuietBetweenRuns, SettleLimit, cancellationToken);
        if (settings.WarmUpSeconds > 0)
        {
            // Not recorded: the server's first seconds of traffic are spent compiling its hot paths (tiered JIT).
            ResultLog.Progress($"{settings.Target}/{settings.Transport}: warming up for {settings.WarmUpSeconds} s");
            await RunAtAsync(group, settings.Rate, settings.WarmUpSeconds, cancellationToken);
        }

        foreach (var deliveries in settings.FixedDeliveries)
        {
            var rate = settings.RateFor(deliveries);
            ResultLog.Progress($"{settings.Target}/{settings.Transport}: fixed load, {deliveries:0} deliveries/s ({rate:0} msgs/s) for {settings.FixedSeconds} s");
            log.Write(await RunAtAsync(group, rate, settings.FixedSeconds, cancellationToken) with { FixedDeliveriesPerSecond = deliveries });
        }

        if (!step)
        {
            log.Write(await RunAtAsync(group, settings.Rate, settings.Seconds, cancellationToken));
            return;
        }

        var search = new RateSearch(settings.Rate, settings.MaxRate);
        var results = new List<FanoutResult>();
        double? next = search.FirstRate;
        while (next is { } current)
        {
            var result = await RunAtAsync(group, current, settings.Seconds, cancellationToken);
            log.Write(result);
            if (!result.Held && !result.Saturated)
            {
                // One slow moment (a GC, another process) can push a single p99 over 50 ms: a rate is only
                // called not held when a second try agrees. The better of the two counts.
                var retry = await RunAtAsync(group, current, settings.Seconds, cancellationToken);
                log.Write(retry);
                if (retry.Held || retry.Latency.P99Ms < result.Latency.P99Ms) result = retry;
            }
            results.Add(result);
            next = search.Next(current, result.Held, result.Saturated);
            if (next is not null && await group.RejoinLostAsync(cancellationToken) is > 0 and var rejoined)
            {
                ResultLog.Progress($"{rejoined} clients were cut off and joined again");
                GiveStats(group);
            }
        }

        var held = results.LastOrDefault(r => r.OfferedRate == search.HeldRate && r.Held);
        var firstFailed = results.LastOrDefault(r => r.OfferedRate == search.FirstFailedRate);
        log.Write(new FanoutStepResult(settings.Target, settings.Transport, settings.Clients, settings.Senders,
            search.HeldRate, search.FirstFailedRate, results.Count, held, firstFailed));
    }

    private void GiveStats(ClientGroup group)
    {
        foreach (var client in group.Joined) client.Stats ??= new ReceiverStats(settings.Senders);
    }

    private async Task<FanoutResult> RunAtAsync(ClientGroup group, double rate, double seconds, CancellationToken cancellationToken)
    {
        var run = ++_run;
        var clients = group.Joined.ToArray();
        foreach (var client in clients) client.Stats!.Start(run);

        var perSender = rate / settings.Senders;
        var planned = (long)Math.Round(perSender * seconds);
        var before = process.Sample();
        var generator = GeneratorMeter.Start();
        var start = LatencyClock.Now() + LatencyClock.TicksFromSeconds(0.02);
        // A sender held back by the server keeps going for a while; past this its messages count as unsent.
        var deadline = start + LatencyClock.TicksFromSeconds(seconds * 2 + 5);

        var senders = clients.Take(settings.Senders)
            .Select((client, i) => MessageSender.SendAsync(client, i, run, perSender, planned, settings.TextBytes, start, deadline, cancellationToken))
            .ToArray();
        var sent = await Task.WhenAll(senders);
        var sendEnd = LatencyClock.Now();

        var expected = DeliveryTally.ExpectedPerReceiver(clients.Select(c => c.EchoesOwnMessages).ToArray(), sent);
        await DrainAsync(clients, expected.Sum(), sendEnd, cancellationToken);

        var after = process.Sample();
        var load = generator.Stop();
        await group.SettleAsync(QuietBetweenRuns, SettleLimit, cancellationToken);
        return Summarize(clients, rate, seconds, planned, sent, expected, ServerUsage.Between(before, after), load);
    }

    /// <summary>Waits until everything sent has arrived, or the drain time after the last send has passed.</summary>
    private async Task DrainAsync(BenchClient[] clients, long expected, long sendEnd, CancellationToken cancellationToken)
    {
        var until = sendEnd + LatencyClock.TicksFromSeconds(settings.DrainSeconds);
        while (LatencyClock.Now() < until)
        {
            long delivered = 0;
            foreach (var client in clients) delivered += client.Stats!.Delivered;
            if (delivered >= expected) return;
            await Task.Delay(10, cancellationToken);
        }
    }

    private FanoutResult Summarize(BenchClient[] clients, double rate, double seconds, long planned, long[] sent, long[] expected, ServerUsage server, GeneratorUsage load)
    {
        var latency = new LatencyHistogram();
        foreach (var client in clients) client.Stats!.AddLatencyTo(latency);
        var tally = DeliveryTally.Of(expected, clients.Select(c => c.Stats!.Counts()).ToArray());
        return new FanoutResult(settings.Target, settings.Transport, settings.Clients, settings.Senders, settings.TextBytes,
            rate, seconds, sent.Sum(), planned * sent.Length - sent.Sum(), tally.Expected, tally.Delivered,
            Math.Round(tally.Delivered / seconds), LatencySummary.From(latency), tally.Lost, tally.Duplicates, tally.OutOfOrder,
            clients.Count(c => !c.IsConnected), server, ServerUsage.CpuSecondsPerMillion(server.CpuSeconds, tally.Delivered),
            load.CpuPercentPerCore, load.Cores, load.BusiestCorePercent);
    }
}
