namespace ChatWeb.Tests.Fuzzing;

/// <summary>The server misbehaved under fuzzing; the message names what the lane sent last, to replay it.</summary>
public sealed class FuzzFailure(string what, string recentInputs)
    : Exception($"{what}\nlast inputs of that lane:\n  {recentInputs}");
