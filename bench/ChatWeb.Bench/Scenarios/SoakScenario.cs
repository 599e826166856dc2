using ChatWeb.Bench.Measuring;
using ChatWeb.Bench.Results;
using ChatWeb.Bench.Transports;

namespace ChatWeb.Bench.Scenarios;

/// <summary>What a soak runs: how many clients chat, how fast each, for how long, and how many come and go meanwhile.</summary>
internal sealed record SoakSettings(
    string Target, string Transport, int Clients, int ChurnClients, double RatePerClient, double Minutes,
    double SampleSeconds, int TextBytes, double DrainSeconds)
{
    /// <summary>Throws what is wrong with the settings; the soak signs in to ChatWeb, so its transports are ChatWeb's.</summary>
    public void Validate()
    {
        if (Transport is not ("tcp" or "hub" or "mixed")) throw new ArgumentException($"the soak runs against ChatWeb: --transport tcp, hub or mixed, not '{Transport}'");
        if (Clients < 2) throw new ArgumentException("--clients must be at least 2");
        if (ChurnClients < 0) throw new ArgumentException("--churn-clients cannot be negative");
        if (RatePerClient <= 0 || Minutes <= 0 || SampleSeconds <= 0) throw new ArgumentException("--rate-per-client, --minutes and --sample-seconds must be above 0");
    }
}

/// <summary>
/// <c>soak</c>: N clients in the room for minutes on end, every one sending at a modest rate and counting all it
/// receives, while churning clients (<see cref="Churn"/>) come and go. Every few seconds a sample of the server
/// (RSS, open handles, threads, CPU) and of the room (sent, delivered, outstanding, errors) goes to the results;
/// at the end, deliveries expected against received and what the resources did. It looks for what a short run
/// cannot show: memory or handles that keep growing, a message lost in the ninth minute, a rare exception.
/// </summary>
internal sealed class SoakScenario(ServerUnderTest server, ServerProcess process, ServerLogWatch serverLog, SoakSettings settings, ResultLog log)
{
    // One run from start to end: the marker's run number only tells this soak's messages from anything else.
    private const int Run = 1;
    // A sender the server holds back keeps trying this long past the end before its messages count as unsent.
    private const double SendGraceSeconds = 30;
    private static readonly TimeSpan QuietAfterJoining = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(30);
    // Time for the server to let go of what the leaving clients held before the last sample.
    private static readonly TimeSpan RestAfterLeaving = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ShortestChurnStay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestChurnStay = TimeSpan.FromSeconds(55);

    private readonly long _origin = LatencyClock.Now();
    private readonly List<SoakSample> _samples = [];
    private readonly Churn _churn = new(server, settings.Transport, firstClient: settings.Clients, settings.ChurnClients, ShortestChurnStay, LongestChurnStay);
    private BenchClient[] _clients = [];
    private bool[] _echoes = [];
    private long[] _sent = [];
    private RoomFigures _room;

    /// <summary>The room as the counted clients see it.</summary>
    private readonly record struct RoomFigures(long Sent, DeliveryTally Tally, int Disconnects, long ServerErrorLines);

    public async Task<SoakResult> RunAsync(CancellationToken cancellationToken)
    {
        Record(SoakPhase.Baseline);
        var group = new ClientGroup(server, settings.Transport, SignInPath.Resume);
        try
        {
            await JoinAsync(group, cancellationToken);
            Record(SoakPhase.Joined);

            using var stopChurning = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var churning = _churn.RunAsync(stopChurning.Token);
            var loadBefore = Environment.CpuUsage.TotalTime;
            var chatStart = LatencyClock.Now();
            var perClient = (long)Math.Floor(settings.RatePerClient * settings.Minutes * 60);
            await ChatAsync(perClient, cancellationToken);
            await DrainAsync(cancellationToken);
            await stopChurning.CancelAsync();
            await churning;
            var loadCpuPercent = 100 * (Environment.CpuUsage.TotalTime - loadBefore).TotalSeconds / (LatencyClock.Microseconds(LatencyClock.Now() - chatStart) / 1e6);
            Record(SoakPhase.Drained);

            var latency = new LatencyHistogram();
            foreach (var client in _clients) client.Stats!.AddLatencyTo(latency);
            var firstClientError = _clients.Select(c => c.FirstServerError).FirstOrDefault(e => e is not null)
                ?? _churn.FirstError
                ?? (_room.Disconnects > 0 ? $"{_room.Disconnects} counted clients were cut off" : null);

            await group.DisposeAsync();
            _clients = [];
            await Task.Delay(RestAfterLeaving, cancellationToken);
            Record(SoakPhase.Left);

            var result = Summarize(perClient, LatencySummary.From(latency), firstClientError, Math.Round(loadCpuPercent, 1));
            log.Write(result);
            Report(result);
            return result;
        }
        finally
        {
            await group.DisposeAsync();
        }
    }

    private async Task JoinAsync(ClientGroup group, CancellationToken cancellationToken)
    {
        ResultLog.Progress($"{settings.Target}/{settings.Transport}: joining {settings.Clients} clients");
        var errors = await group.JoinAsync(settings.Clients, cancellationToken);
        if (errors.Count > 0) throw new BenchClientException($"{errors.Count} of {settings.Clients} clients could not join; first: {errors[0]}");
        _clients = group.Joined.ToArray();
        _echoes = _clients.Select(c => c.EchoesOwnMessages).ToArray();
        _sent = new long[_clients.Length];
        foreach (var client in _clients)
        {
            client.Stats = new ReceiverStats(_clients.Length);
            client.Stats.Start(Run);
        }
        await group.SettleAsync(QuietAfterJoining, SettleLimit, cancellationToken);
    }

    /// <summary>Every client sends <paramref name="perClient"/> messages at the soak's rate; a sample every interval meanwhile.</summary>
    private async Task ChatAsync(long perClient, CancellationToken cancellationToken)
    {
        var seconds = settings.Minutes * 60;
        ResultLog.Progress($"{settings.Target}/{settings.Transport}: {_clients.Length} clients sending {perClient} messages each over {seconds} s, "
            + $"{settings.ChurnClients} more coming and going");
        var start = LatencyClock.Now() + LatencyClock.TicksFromSeconds(0.1);
        var deadline = start + LatencyClock.TicksFromSeconds(seconds + SendGraceSeconds);
        // Each client starts a fraction of a period after the one before: the room hears a steady stream, not everybody at once.
        var period = 1 / settings.RatePerClient;
        var sending = Task.WhenAll(_clients.Select((client, i) => MessageSender.SendAsync(
            client, i, Run, settings.RatePerClient, perClient, settings.TextBytes,
            start + LatencyClock.TicksFromSeconds(period * i / _clients.Length), deadline, cancellationToken,
            onSent: count => Volatile.Write(ref _sent[i], count))));

        var interval = LatencyClock.TicksFromSeconds(settings.SampleSeconds);
        for (var next = start + interval; ; next += interval)
        {
            var wait = TimeSpan.FromMilliseconds(Math.Max(0, LatencyClock.Microseconds(next - LatencyClock.Now()) / 1000.0));
            if (await Task.WhenAny(sending, Task.Delay(wait, cancellationToken)) == sending) break;
            cancellationToken.ThrowIfCancellationRequested();
            Record(SoakPhase.Chatting);
        }
        await sending;
    }

    /// <summary>Waits until every receiver has all it is owed, or the drain time has passed.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var until = LatencyClock.Now() + LatencyClock.TicksFromSeconds(settings.DrainSeconds);
        while (LatencyClock.Now() < until && Tally().Lost > 0) await Task.Delay(100, cancellationToken);
    }

    private long[] SentSoFar() => _sent.Select((_, i) => Volatile.Read(ref _sent[i])).ToArray();

    private DeliveryTally Tally()
    {
        var received = _clients.Select(c => c.Stats!.Counts()).ToArray();
        return DeliveryTally.Of(DeliveryTally.ExpectedPerReceiver(_echoes, SentSoFar()), received);
    }

    /// <summary>Reads the server and the room, writes the sample and says it; once everyone left, the room's figures are those it ended with.</summary>
    private void Record(string phase)
    {
        if (_clients.Length > 0)
        {
            _room = new RoomFigures(SentSoFar().Sum(), Tally(), _clients.Count(c => !c.IsConnected), _clients.Sum(c => c.ServerErrors) + _churn.ServerErrors);
        }
        serverLog.Update();
        var usage = process.Sample();
        var elapsed = LatencyClock.Microseconds(LatencyClock.Now() - _origin) / 1e6;
        var sample = new SoakSample(settings.Target, settings.Transport, phase, Math.Round(elapsed, 1), MachineLoad.OneMinute(),
            usage.RssKiB, process.OpenHandles(), process.Threads(), usage.CpuSeconds,
            _room.Sent, _room.Tally.Expected, _room.Tally.Delivered, _room.Tally.Lost, _room.Tally.Duplicates, _room.Tally.OutOfOrder,
            _room.Disconnects, _churn.Joins, _churn.Failures, _room.ServerErrorLines, serverLog.Errors, serverLog.Warnings);
        log.Write(sample);
        _samples.Add(sample);
        ResultLog.Progress(SoakTable.ProgressLine(sample));
    }

    private SoakResult Summarize(long perClient, LatencySummary latency, string? firstClientError, double loadCpuPercent)
    {
        var joined = _samples.First(s => s.Phase == SoakPhase.Joined);
        var drained = _samples.Last(s => s.Phase == SoakPhase.Drained);
        var counted = settings.Clients;
        return new SoakResult(settings.Target, settings.Transport, counted, settings.ChurnClients, settings.RatePerClient, settings.Minutes * 60, settings.TextBytes,
            _room.Sent, perClient * counted - _room.Sent, _room.Tally.Expected, _room.Tally.Delivered, _room.Tally.Lost, _room.Tally.Duplicates,
            _room.Tally.OutOfOrder, _room.Tally.Strays, latency, _room.Disconnects, _churn.Joins, _churn.Failures, _room.ServerErrorLines,
            serverLog.Errors, serverLog.Warnings, firstClientError, serverLog.FirstError, serverLog.FirstWarning,
            ResourceSeries.Of(_samples, s => s.RssKiB), ResourceSeries.Of(_samples, s => s.Handles), ResourceSeries.Of(_samples, s => s.Threads),
            Math.Round(drained.CpuSeconds - joined.CpuSeconds, 2), loadCpuPercent);
    }

    private static void Report(SoakResult result)
    {
        ResultLog.Progress($"soak {(result.Clean ? "clean" : "NOT clean")}: {result.Delivered:N0} of {result.Expected:N0} deliveries received, "
            + $"{result.Lost:N0} lost, {result.Duplicates:N0} duplicated, {result.OutOfOrder:N0} out of order, {result.Unsent:N0} unsent; "
            + $"{result.Disconnects} cut off, {result.ChurnFailures} churn failures, {result.ServerErrorLines} error lines, {result.LogErrors} log errors");
        if (result.FirstClientError is { } client) ResultLog.Progress("first client error: " + client);
        if (result.FirstLogError is { } logged) ResultLog.Progress("first log error: " + logged);
    }
}
