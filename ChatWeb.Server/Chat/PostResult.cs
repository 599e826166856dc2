namespace ChatWeb.Server.Chat;

/// <summary>What became of a post: stored (with its message), refused (with a reason for the sender) or ignored (empty).</summary>
public sealed record PostResult
{
    public ChatMessage? Message { get; private init; }
    public string? Error { get; private init; }

    public bool IsAccepted => Message is not null;
    public bool IsIgnored => Message is null && Error is null;

    public static PostResult Accepted(ChatMessage message) => new() { Message = message };
    public static PostResult Refused(string reason) => new() { Error = reason };
    public static readonly PostResult Ignored = new();
}
