namespace ChatWeb.Server.Hosting;

/// <summary>
/// The outcome of an operator action, in words for the console and the dashboard. Here, below every feature, so
/// that each feature's own operator actions (the room's in Control, the accounts' in Accounts, the logs' in AdminLog) answer alike.
/// </summary>
public sealed record ControlResult(bool Succeeded, string Message)
{
    public static ControlResult Done(string message) => new(true, message);
    public static ControlResult Failed(string message) => new(false, message);
}
