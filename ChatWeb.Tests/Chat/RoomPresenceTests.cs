using ChatWeb.Server.Chat;

namespace ChatWeb.Tests.Chat;

public sealed class RoomPresenceTests
{
    [Fact]
    public void PresenceFollowsEveryConnectionOfEveryUserSortedByNameInAnyCase()
    {
        var presence = new RoomPresence();
        var bobWeb = new RoomMember("1", "bob", MessageSource.Web);
        var aliceTcp = new RoomMember("2", "Alice", MessageSource.Tcp);
        var bobTcp = new RoomMember("3", "BOB", MessageSource.Tcp);
        var carol = new RoomMember("4", "carol", MessageSource.Web);

        Assert.True(presence.Add(bobWeb).First);
        Assert.True(presence.Add(aliceTcp).First);
        var (bob, first) = presence.Add(bobTcp);
        Assert.False(first);
        Assert.Equal([MessageSource.Web, MessageSource.Tcp], bob.Transports);
        Assert.True(presence.Add(carol).First);
        Assert.Equal(["Alice:Tcp", "bob:Web,Tcp", "carol:Web"], Describe(presence.Online()));
        Assert.Equal(2, presence.ConnectionsOf("BoB"));

        // A list handed out earlier stays as it was: it is a snapshot.
        var before = presence.Online();
        Assert.False(presence.Remove(bobWeb)!.Value.Last);
        Assert.Equal(["Alice:Tcp", "BOB:Tcp", "carol:Web"], Describe(presence.Online()));
        Assert.Equal(["Alice:Tcp", "bob:Web,Tcp", "carol:Web"], Describe(before));

        Assert.True(presence.Remove(bobTcp)!.Value.Last);
        Assert.Null(presence.Remove(bobTcp));
        Assert.Equal(0, presence.ConnectionsOf("bob"));
        Assert.Equal(["Alice:Tcp", "carol:Web"], Describe(presence.Online()));
    }

    [Fact]
    public async Task WhenGoneCompletesOnTheLastLeaveOfTheUserOrOfEverybody()
    {
        var presence = new RoomPresence();
        var aliceWeb = new RoomMember("1", "alice", MessageSource.Web);
        var aliceTcp = new RoomMember("2", "alice", MessageSource.Tcp);
        var bob = new RoomMember("3", "bob", MessageSource.Tcp);
        presence.Add(aliceWeb);
        presence.Add(aliceTcp);
        presence.Add(bob);
        Assert.True(presence.WhenGoneAsync("nobody", TimeSpan.Zero).IsCompletedSuccessfully);

        var aliceGone = presence.WhenGoneAsync("ALICE", TimeSpan.FromSeconds(10));
        var everybodyGone = presence.WhenGoneAsync(null, TimeSpan.FromSeconds(10));
        presence.Remove(aliceWeb);
        Assert.False(aliceGone.IsCompleted);
        presence.Remove(aliceTcp);
        Assert.True(await aliceGone);
        Assert.False(everybodyGone.IsCompleted);
        presence.Remove(bob);
        Assert.True(await everybodyGone);
        Assert.Equal(0, presence.Waiting);
    }

    [Fact]
    public async Task AWaitForSomebodyWhoStaysTimesOutAndIsForgotten()
    {
        var presence = new RoomPresence();
        presence.Add(new RoomMember("1", "alice", MessageSource.Web));

        Assert.False(await presence.WhenGoneAsync("alice", TimeSpan.FromMilliseconds(50)));

        Assert.Equal(0, presence.Waiting);
    }

    private static List<string> Describe(IReadOnlyList<OnlineUser> users) =>
        [.. users.Select(u => $"{u.UserName}:{string.Join(',', u.Transports)}")];
}
