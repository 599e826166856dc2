namespace ChatWeb.Server.Chat;

/// <summary>
/// A live connection of one user, registered by its transport so that the room (and the operator
/// through it) can see and close it without knowing what kind of socket it is.
/// </summary>
public interface IChatConnection
{
    string Id { get; }
    string UserName { get; }
    Transport Transport { get; }

    /// <summary>Tells the user why (when the transport can) and closes the connection.</summary>
    Task CloseAsync(string reason);
}
