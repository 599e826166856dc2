using System.Buffers;
using ChatWeb.Bench.Measuring;
using ChatWeb.Bench.Transports;

namespace ChatWeb.Bench.Scenarios;

/// <summary>
/// One sender's part of a run: messages 1..count, message k due at start + (k - 1) / rate. Each carries
/// the time it was due, not the time it left: a sender held back by a slow server still charges the wait
/// to the server's latency (no coordinated omission). Whatever is due goes out in one write.
/// </summary>
internal static class MessageSender
{
    private const int MaxBatch = 128;

    /// <param name="onSent">Told the number sent so far after every write, for a run that reports while it goes on.</param>
    /// <returns>How many messages were sent (fewer than <paramref name="count"/> only when the deadline came first).</returns>
    public static async Task<long> SendAsync(
        BenchClient client, int sender, int run, double rate, long count, int textBytes,
        long startTimestamp, long deadlineTimestamp, CancellationToken cancellationToken, Action<long>? onSent = null)
    {
        var framing = client.Framing;
        var messageBytes = framing.Prefix.Length + Math.Max(textBytes, MessageMarker.MaxMarkerBytes) + framing.Suffix.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(messageBytes * MaxBatch);
        var ticksPerMessage = LatencyClock.TicksFromSeconds(1) / rate;
        long sent = 0;
        try
        {
            while (sent < count)
            {
                var now = LatencyClock.Now();
                if (now >= deadlineTimestamp) break;
                var due = now < startTimestamp ? 0 : Math.Min(count, (long)((now - startTimestamp) / ticksPerMessage) + 1);
                if (due <= sent)
                {
                    var nextDue = startTimestamp + (long)(sent * ticksPerMessage);
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, LatencyClock.Microseconds(nextDue - now) / 1000.0)), cancellationToken);
                    continue;
                }

                var last = Math.Min(due, sent + MaxBatch);
                var length = 0;
                for (var sequence = sent + 1; sequence <= last; sequence++)
                {
                    var marker = new Marker(run, sender, sequence, startTimestamp + (long)((sequence - 1) * ticksPerMessage));
                    framing.Prefix.CopyTo(buffer, length);
                    length += framing.Prefix.Length;
                    length += MessageMarker.Write(buffer.AsSpan(length), marker, textBytes);
                    framing.Suffix.CopyTo(buffer, length);
                    length += framing.Suffix.Length;
                }
                await client.SendAsync(buffer.AsMemory(0, length), cancellationToken);
                sent = last;
                onSent?.Invoke(sent);
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // The server cut the sender off (a saturated server drops clients it cannot keep up with):
            // what it did not send shows up as unsent, and the run as not held.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return sent;
    }
}
