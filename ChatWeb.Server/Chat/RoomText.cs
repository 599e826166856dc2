namespace ChatWeb.Server.Chat;

/// <summary>What the room tells users in its own words, the same on every transport.</summary>
public static class RoomText
{
    public const string ShuttingDown = "the server is shutting down";
    public const string ShutdownNotice = "The server is shutting down.";
    public const string NotStored = "the server could not store your message, so it was not sent; try again later";
    public const string Kicked = "you were disconnected by the operator";
}

/// <summary>The room has closed (the server is shutting down): nothing joins any more.</summary>
public sealed class RoomClosedException() : InvalidOperationException(RoomText.ShuttingDown);
