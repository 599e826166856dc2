namespace ChatWeb.Server.Accounts;

/// <summary>
/// A way in that keeps connections open past the check they got when they opened: the room's chat hub and TCP
/// sessions, the admin hub, and whatever comes next (Blazor circuits). Each registers itself in DI
/// (<c>services.AddSingleton&lt;ISessionChannel, ...&gt;()</c>) next to its own code; <see cref="AccountEvents"/>
/// asks every one of them to close a user's connections when that account's sessions end. Accounts knows no
/// transport and keeps no list of them.
/// </summary>
public interface ISessionChannel
{
    /// <summary>Closes every live connection of <paramref name="userName"/> (names compared ignoring case), telling it why where it can; returns how many.</summary>
    Task<int> EndSessionsAsync(string userName, string reason);
}
