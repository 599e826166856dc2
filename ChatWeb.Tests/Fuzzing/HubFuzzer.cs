namespace ChatWeb.Tests.Fuzzing;

/// <summary>What the hub pass did: how many frames, and how the connections they ended were closed (by close reason).</summary>
public sealed record HubFuzzReport(int Frames, int Reconnects, IReadOnlyDictionary<string, int> CloseReasons, IReadOnlyList<(HubFrame Frame, string Reason)> OversizedClosings)
{
    /// <summary>The closings counted by kind of reason, the parser's detail left out.</summary>
    public string Summary() => string.Join(", ", CloseReasons
        .GroupBy(r => Kind(r.Key), r => r.Value)
        .OrderByDescending(g => g.Sum())
        .Select(g => $"{g.Key} {g.Sum()}"));

    private static string Kind(string reason) => reason switch
    {
        _ when reason.Contains("HubException: malformed message", StringComparison.Ordinal) => "closed: malformed message",
        _ when reason.Contains("HubException: message too big", StringComparison.Ordinal) => "closed: message too big (limit named)",
        _ when reason.StartsWith("handshake: ", StringComparison.Ordinal) => reason,
        _ when reason.StartsWith("socket gone", StringComparison.Ordinal) => "client aborted",
        _ when reason.Contains("InvalidPayloadData", StringComparison.Ordinal) => "closed by WebSocket: text not UTF-8",
        "" or "(close without error)" => "closed as the client asked",
        _ => reason,
    };
}

/// <summary>
/// Spreads the hub frames over a few lanes. After every frame a probe invocation checks that the server
/// dealt with it: answered (the connection lives on) or closed the connection with a close message.
/// A frame that ends a connection is followed by a new one.
/// </summary>
public static class HubFuzzer
{
    private static readonly TimeSpan AnswerTime = TimeSpan.FromSeconds(20);

    public static async Task<HubFuzzReport> RunAsync(Uri baseAddress, FuzzPlan plan, IReadOnlyList<string> tokens, CancellationToken cancellationToken)
    {
        var reasons = new Dictionary<string, int>();
        var oversized = new List<(HubFrame, string)>();
        var reconnects = 0;

        async Task LaneAsync(int lane)
        {
            var recent = new Queue<HubFrame>();
            string Recent() => string.Join("\n  ", recent);
            RawHubSocket? socket = null;
            try
            {
                for (var index = lane; index < plan.HubFrames; index += tokens.Count)
                {
                    var frame = HubFuzzFrames.Create(plan.Seed, index);
                    recent.Enqueue(frame);
                    if (recent.Count > 5) recent.Dequeue();

                    if (frame.Delivery == HubDelivery.Handshake)
                    {
                        var outcome = await HandshakeAsync(baseAddress, tokens[lane], frame, cancellationToken)
                            ?? throw new FuzzFailure($"hub lane {lane}: a bad handshake was neither answered nor closed", Recent());
                        Count(reasons, "handshake: " + outcome);
                        continue;
                    }

                    if (socket is null || socket.IsClosed)
                    {
                        if (socket is not null)
                        {
                            await socket.DisposeAsync();
                            Interlocked.Increment(ref reconnects);
                        }
                        socket = await RawHubSocket.OpenAsync(baseAddress, tokens[lane], cancellationToken);
                    }

                    await socket.SendFrameAsync(frame, cancellationToken);
                    if (!socket.IsClosed && !await socket.ProbeAsync($"probe-{index}", !frame.EndsWithSeparator, AnswerTime, cancellationToken))
                        throw new FuzzFailure($"hub lane {lane}: no answer and no close within {AnswerTime.TotalSeconds} s", Recent());
                    if (!socket.IsClosed) continue;

                    var reason = await socket.Closed;
                    if (reason.StartsWith(RawHubSocket.InvalidJsonFromServer, StringComparison.Ordinal)) throw new FuzzFailure($"hub lane {lane}: {reason}", Recent());
                    Count(reasons, reason);
                    if (frame.Kind.StartsWith("over 32 KB", StringComparison.Ordinal)) lock (oversized) oversized.Add((frame, reason));
                }
            }
            finally
            {
                if (socket is not null) await socket.DisposeAsync();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, tokens.Count).Select(lane => Task.Run(() => LaneAsync(lane), cancellationToken)));
        return new HubFuzzReport(plan.HubFrames, reconnects, reasons, oversized);
    }

    /// <summary>Sends a bad handshake on a new socket; returns how the server took it, or null when it never reacted.</summary>
    private static async Task<string?> HandshakeAsync(Uri baseAddress, string token, HubFrame frame, CancellationToken cancellationToken)
    {
        await using var socket = await RawHubSocket.ConnectAsync(baseAddress, token, cancellationToken);
        await socket.SendAsync(frame.Payload, System.Net.WebSockets.WebSocketMessageType.Text, cancellationToken);
        // Without a separator the handshake never completes; the server's handshake timeout is its business. Hang up.
        if (!frame.EndsWithSeparator) return "incomplete, client hung up";
        await Task.WhenAny(socket.HandshakeAnswer, socket.Closed, Task.Delay(AnswerTime, cancellationToken));
        if (socket.HandshakeAnswer.IsCompleted) return (await socket.HandshakeAnswer).Contains("\"error\"", StringComparison.Ordinal) ? "refused with an error" : "accepted";
        return socket.Closed.IsCompleted ? "closed" : null;
    }

    private static void Count(Dictionary<string, int> counts, string key)
    {
        lock (counts) counts[key] = counts.GetValueOrDefault(key) + 1;
    }
}
