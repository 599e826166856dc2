using System.ComponentModel.DataAnnotations;

namespace ChatWeb.Server.Chat;

public sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>How many recent messages a client gets when it joins.</summary>
    [Range(0, 500)]
    public int HistoryOnJoin { get; set; } = 50;

    /// <summary>Longest message in .NET characters after trimming; 0 turns the limit off.</summary>
    [Range(0, int.MaxValue)]
    public int MaxMessageLength { get; set; } = 2000;

    /// <summary>Sustained messages per second per user; 0 turns rate limiting off.</summary>
    [Range(0, double.MaxValue)]
    public double RatePerSecond { get; set; } = 5;

    /// <summary>History reads one connection may have running at once; more are refused at once, not queued. 0 turns the limit off.</summary>
    [Range(0, 64)]
    public int MaxHistoryReadsPerConnection { get; set; } = 2;

    /// <summary>How many messages a user may send in a burst before the rate applies.</summary>
    [Range(0, int.MaxValue)]
    public int RateBurst { get; set; } = 20;
}
