using System.Net.Sockets;
using System.Text;

namespace ChatWeb.Tests.Fuzzing;

/// <summary>
/// One socket throwing inputs at the gateway one after another, reading (and dropping) everything the
/// server says so it is never cut off as a slow reader. A member lane signs in with <c>/resume</c> first,
/// so its junk reaches the chat loop; a stranger lane stays at the sign-in prompts. Whenever the server or
/// an input ends the connection, the lane connects again and goes on with the next input.
/// </summary>
internal sealed class TcpFuzzLane(int port, int lane, string? memberName, string? memberToken) : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTime = TimeSpan.FromSeconds(20);
    private const int ProbeEvery = 200;

    private readonly Queue<TcpInput> _recent = new();
    private DrainedSocket? _connection;
    private int _probes;

    public int Reconnects { get; private set; }

    public async Task RunAsync(IEnumerable<TcpInput> inputs, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var input in inputs)
        {
            _recent.Enqueue(input);
            if (_recent.Count > 5) _recent.Dequeue();
            var connection = await LiveConnectionAsync(cancellationToken);
            await DeliverAsync(connection, input, cancellationToken);
            if (memberToken is not null && ++sent % ProbeEvery == 0) await ProbeAsync(cancellationToken);
        }
        await SayGoodbyeAsync(cancellationToken);
    }

    /// <summary>What the lane sent last, for a failure message.</summary>
    public string Recent() => string.Join("\n  ", _recent);

    private async Task DeliverAsync(DrainedSocket connection, TcpInput input, CancellationToken cancellationToken)
    {
        try
        {
            switch (input.Delivery)
            {
                case TcpDelivery.Whole:
                    await connection.SendAsync(input.Bytes, cancellationToken);
                    break;
                case TcpDelivery.Pieces:
                    foreach (var piece in Pieces(input))
                    {
                        await connection.SendAsync(piece, cancellationToken);
                        await Task.Delay(1, cancellationToken); // apart, so the server reads them apart
                    }
                    break;
                case TcpDelivery.ByteByByte:
                    for (var i = 0; i < input.Bytes.Length; i++) await connection.SendAsync(input.Bytes.AsMemory(i, 1), cancellationToken);
                    break;
                case TcpDelivery.ThenReset:
                    await connection.SendAsync(input.Bytes, cancellationToken);
                    connection.Reset();
                    break;
                case TcpDelivery.ThenHangUp:
                    await connection.SendAsync(input.Bytes, cancellationToken);
                    connection.HangUp();
                    // The server must notice the end of the stream and close its side.
                    if (!await connection.WaitClosedAsync(AnswerTime))
                        throw new FuzzFailure($"TCP lane {lane}: the server did not close after the client hung up mid-line", Recent());
                    break;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            // The server closed this connection meanwhile (an "exit" earlier in the input, a full queue):
            // the next input gets a new one.
        }
    }

    /// <summary>Members: an unknown command with a number of its own, answered in order after everything before it.</summary>
    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var connection = await LiveConnectionAsync(cancellationToken);
        var probe = $"/probe-{lane}-{++_probes}";
        // A newline first ends whatever half line the last input left.
        var answered = connection.WaitForAsync($"! unknown command {probe}; type /help", AnswerTime);
        if (!await connection.TrySendAsync(Encoding.UTF8.GetBytes($"\n{probe}\n"), cancellationToken)) return; // closed meanwhile by the last input
        if (!await answered && !connection.IsClosed)
            throw new FuzzFailure($"TCP lane {lane}: no answer to {probe} within {AnswerTime.TotalSeconds} s", Recent());
    }

    /// <summary>Whatever state the junk left it in, the session still reads its input: <c>exit</c> closes it.</summary>
    private async Task SayGoodbyeAsync(CancellationToken cancellationToken)
    {
        var connection = await LiveConnectionAsync(cancellationToken);
        // Closed meanwhile by the last input: a new connection says it.
        if (!await connection.TrySendAsync("\nexit\n"u8.ToArray(), cancellationToken))
        {
            connection = await LiveConnectionAsync(cancellationToken);
            await connection.SendAsync("exit\n"u8.ToArray(), cancellationToken);
        }
        if (!await connection.WaitClosedAsync(AnswerTime))
            throw new FuzzFailure($"TCP lane {lane}: the server did not close the connection after exit", Recent());
    }

    private async Task<DrainedSocket> LiveConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsClosed: false } live) return live;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            Reconnects++;
        }
        _connection = await DrainedSocket.OpenAsync(port, cancellationToken);
        if (memberToken is not null)
        {
            var welcomed = _connection.WaitForAsync($"Welcome back, {memberName}!", AnswerTime);
            await _connection.SendAsync(Encoding.UTF8.GetBytes($"/resume {memberToken}\n"), cancellationToken);
            if (!await welcomed)
                throw new FuzzFailure($"TCP lane {lane}: /resume was not answered", Recent());
        }
        return _connection;
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Pieces(TcpInput input)
    {
        var random = new Random(input.Index);
        var cuts = Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(0, input.Bytes.Length + 1)).Order().ToList();
        var start = 0;
        foreach (var cut in cuts.Append(input.Bytes.Length))
        {
            if (cut > start) yield return input.Bytes.AsMemory(start, cut - start);
            start = Math.Max(start, cut);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
