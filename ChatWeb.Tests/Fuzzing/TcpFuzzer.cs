namespace ChatWeb.Tests.Fuzzing;

/// <summary>What the TCP pass did.</summary>
public sealed record TcpFuzzReport(int Inputs, int Reconnects, IReadOnlyDictionary<string, int> Kinds);

/// <summary>
/// Spreads the TCP inputs over a few lanes (input i goes to lane i mod lanes): half of them signed in,
/// so junk reaches the chat loop and the room, half left at the sign-in prompts.
/// </summary>
public static class TcpFuzzer
{
    public static async Task<TcpFuzzReport> RunAsync(int port, FuzzPlan plan, IReadOnlyList<(string Name, string Token)> members, int strangers, CancellationToken cancellationToken)
    {
        var lanes = new List<TcpFuzzLane>();
        lanes.AddRange(members.Select((member, i) => new TcpFuzzLane(port, i, member.Name, member.Token)));
        for (var i = 0; i < strangers; i++) lanes.Add(new TcpFuzzLane(port, members.Count + i, null, null));

        var kinds = new Dictionary<string, int>();
        IEnumerable<TcpInput> InputsOf(int lane)
        {
            for (var index = lane; index < plan.TcpInputs; index += lanes.Count)
            {
                var input = TcpFuzzInputs.Create(plan.Seed, index);
                lock (kinds) kinds[input.Kind] = kinds.GetValueOrDefault(input.Kind) + 1;
                yield return input;
            }
        }

        try
        {
            await Task.WhenAll(lanes.Select((lane, i) => Task.Run(() => lane.RunAsync(InputsOf(i), cancellationToken), cancellationToken)));
            return new TcpFuzzReport(plan.TcpInputs, lanes.Sum(l => l.Reconnects), kinds);
        }
        finally
        {
            foreach (var lane in lanes) await lane.DisposeAsync();
        }
    }
}
