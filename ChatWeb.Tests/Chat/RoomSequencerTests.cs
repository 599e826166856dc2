using ChatWeb.Server.Chat;

namespace ChatWeb.Tests.Chat;

/// <summary>The room's own rules, without a server: order, storing before telling, refusals, join positions, closing.</summary>
public sealed class RoomSequencerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ConcurrentPostsGetIdsAndPositionsInOneOrderThatTheHistoryAndEverySubscriberShare()
    {
        await using var test = await TestRoom.StartAsync();
        var first = new RecordingSubscriber(test.History);
        var second = new RecordingSubscriber();
        using var a = test.Stream.Subscribe(first, test.Stream.Position);
        using var b = test.Stream.Subscribe(second, test.Stream.Position);

        var senders = Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            var member = TestRoom.Member($"m{n}", $"user{n}");
            for (var i = 0; i < 250; i++) Assert.True((await test.Room.PostAsync(member, $"{n}:{i}")).IsAccepted);
        }));
        await Task.WhenAll(senders);

        var ids = first.Of<MessagePosted>().Select(p => p.Message.Id).ToList();
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), ids);
        Assert.Equal(ids, second.Of<MessagePosted>().Select(p => p.Message.Id));
        Assert.Equal(ids, test.History.Stored.Select(m => m.Id));
        // Positions count events one by one, with no gap, the same for every subscriber.
        Assert.Equal(Enumerable.Range(1, first.Events.Count).Select(i => (long)i), first.Events.Select(e => e.Position));
        Assert.Equal(first.Events.Select(e => e.Position), second.Events.Select(e => e.Position));
        // Each sender's lines keep the order they were sent in.
        for (var n = 0; n < 4; n++)
            Assert.Equal(Enumerable.Range(0, 250).Select(i => $"{n}:{i}"), first.Of<MessagePosted>().Where(p => p.Message.User == $"user{n}").Select(p => p.Message.Text));
    }

    [Fact]
    public async Task APostIsPublishedAndAnsweredOnlyOnceTheHistoryHasStoredIt()
    {
        await using var test = await TestRoom.StartAsync();
        var subscriber = new RecordingSubscriber(test.History);
        using var _ = test.Stream.Subscribe(subscriber, 0);
        test.History.Hold();

        var post = test.Room.PostAsync(TestRoom.Member("m1", "alice"), "hello");
        await test.History.WriteStarted.Task.WaitAsync(Patience);
        Assert.False(post.IsCompleted);
        Assert.Empty(subscriber.Events);

        test.History.Release();
        var result = await post.WaitAsync(Patience);
        Assert.True(result.IsAccepted);
        Assert.Equal([(result.Message!.Id, true)], subscriber.Deliveries);
    }

    [Fact]
    public async Task AFailedWriteRefusesItsPostsPublishesNothingAndNeverReusesTheirIds()
    {
        await using var test = await TestRoom.StartAsync();
        var subscriber = new RecordingSubscriber();
        using var _ = test.Stream.Subscribe(subscriber, 0);
        var alice = TestRoom.Member("m1", "alice");

        test.History.NextFailure = new IOException("disk full");
        var refused = await test.Room.PostAsync(alice, "lost?");
        Assert.Equal(RoomText.NotStored, refused.Error);
        Assert.False(test.Room.IsStorageHealthy);
        Assert.Empty(subscriber.Of<MessagePosted>());

        var accepted = await test.Room.PostAsync(alice, "stored");
        Assert.Equal(2, accepted.Message!.Id);
        Assert.True(test.Room.IsStorageHealthy);
        Assert.Equal([2L], subscriber.Of<MessagePosted>().Select(p => p.Message.Id));
    }

    [Theory]
    [InlineData("   ", null)]
    [InlineData("\u202E\u2066 ", null)]
    [InlineData("12345678901", "message too long (11 characters, max 10)")]
    public async Task TheRoomIgnoresEmptyPostsAndRefusesLongOnesWithTheReasonBeforeTheSequencerSeesThem(string text, string? reason)
    {
        await using var test = await TestRoom.StartAsync(new ChatOptions { RatePerSecond = 0, MaxMessageLength = 10 });
        var subscriber = new RecordingSubscriber();
        using var _ = test.Stream.Subscribe(subscriber, 0);

        var result = await test.Room.PostAsync(TestRoom.Member("m1", "alice"), text);

        Assert.False(result.IsAccepted);
        Assert.Equal(reason is null, result.IsIgnored);
        Assert.Equal(reason, result.Error);
        // A sentinel: once it is in the stream, anything the refused post made would be too.
        Assert.True((await test.Room.PostAsync(TestRoom.Member("m1", "alice"), "sentinel")).IsAccepted);
        Assert.Equal(["sentinel"], subscriber.Of<MessagePosted>().Select(p => p.Message.Text));
    }

    [Fact]
    public async Task AUserOverTheRateIsRefusedUntilTheBucketRefills()
    {
        await using var test = await TestRoom.StartAsync(new ChatOptions { RatePerSecond = 0.001, RateBurst = 3 });
        var alice = TestRoom.Member("m1", "alice");
        for (var i = 0; i < 3; i++) Assert.True((await test.Room.PostAsync(alice, $"line {i}")).IsAccepted);

        Assert.Equal("too many messages, slow down", (await test.Room.PostAsync(alice, "one more")).Error);
        // The limit is the user's, not the room's.
        Assert.True((await test.Room.PostAsync(TestRoom.Member("m2", "bob"), "bob's turn")).IsAccepted);
    }

    [Fact]
    public async Task AJoinGetsTheHistoryUpToItsPositionAndTheStreamCarriesEverythingAfterIt()
    {
        await using var test = await TestRoom.StartAsync();
        var subscriber = new RecordingSubscriber();
        using var _ = test.Stream.Subscribe(subscriber, 0);
        var alice = TestRoom.Member("m1", "alice");
        await test.Room.PostAsync(alice, "before 1");

        // Posts, a join and more posts wait in one queue, so the sequencer takes them as one commit.
        test.History.Hold();
        var blocker = test.Room.PostAsync(alice, "before 2");
        await test.History.WriteStarted.Task.WaitAsync(Patience);
        var before3 = test.Room.PostAsync(alice, "before 3");
        var join = test.Room.JoinAsync(TestRoom.Member("m2", "bob", MessageSource.Tcp));
        var after = test.Room.PostAsync(alice, "after");
        test.History.Release();
        await Task.WhenAll(blocker, before3, after).WaitAsync(Patience);
        var joined = await join.WaitAsync(Patience);

        Assert.Equal(["before 1", "before 2", "before 3"], joined.Recent.Select(m => m.Text));
        var atJoin = Assert.Single(subscriber.Events, e => e.Event is MemberJoined);
        Assert.Equal(atJoin.Position, joined.Position);
        Assert.Equal(["bob"], joined.Online.Select(u => u.UserName));
        var (joinEvent, afterJoin) = ((MemberJoined)atJoin.Event, subscriber.Events.Where(e => e.Position > joined.Position).ToList());
        Assert.True(joinEvent.FirstOfUser);
        Assert.Equal(["after"], afterJoin.Select(e => e.Event).OfType<MessagePosted>().Select(p => p.Message.Text));
        // The history up to the position and the stream after it hold every message once.
        Assert.Equal(test.History.Stored.Select(m => m.Id), joined.Recent.Select(m => m.Id).Concat(afterJoin.Select(e => e.Event).OfType<MessagePosted>().Select(p => p.Message.Id)));
    }

    [Fact]
    public async Task PresenceFollowsJoinsAndLeavesAndOnlyTheFirstAndLastConnectionOfAUserAreNews()
    {
        await using var test = await TestRoom.StartAsync();
        var subscriber = new RecordingSubscriber();
        using var _ = test.Stream.Subscribe(subscriber, 0);
        var web = TestRoom.Member("w", "alice");
        var tcp = TestRoom.Member("t", "Alice", MessageSource.Tcp);

        await test.Room.JoinAsync(web);
        await test.Room.JoinAsync(tcp);
        Assert.Equal([MessageSource.Web, MessageSource.Tcp], Assert.Single(test.Room.Who()).Transports);
        await test.Room.LeaveAsync(web);
        await test.Room.LeaveAsync(web);
        await test.Room.LeaveAsync(tcp);

        Assert.Empty(test.Room.Who());
        Assert.Equal([true, false], subscriber.Of<MemberJoined>().Select(j => j.FirstOfUser));
        // The second leave of the same connection is not an event at all.
        Assert.Equal([false, true], subscriber.Of<MemberLeft>().Select(l => l.LastOfUser));
    }

    [Fact]
    public async Task ANoticeWaitsForRoomInAFullQueueInsteadOfBeingDropped()
    {
        await using var test = await TestRoom.StartAsync();
        var subscriber = new RecordingSubscriber();
        using var _ = test.Stream.Subscribe(subscriber, 0);
        var alice = TestRoom.Member("m1", "alice");
        test.History.Hold();
        var posts = new List<Task<PostResult>> { test.Sequencer.PostAsync(alice, "first", CancellationToken.None) };
        await test.History.WriteStarted.Task.WaitAsync(Patience);
        // The queue holds 8,192; these fill it while the first write is held.
        for (var i = 0; i < 8192; i++) posts.Add(test.Sequencer.PostAsync(alice, $"queued {i}", CancellationToken.None));

        var notice = test.Room.AnnounceAsync(new Notice(NoticeLevel.Warning, "still here"));
        Assert.False(notice.IsCompleted);
        test.History.Release();

        Assert.True(await notice.WaitAsync(Patience));
        await Task.WhenAll(posts).WaitAsync(Patience);
        Assert.Equal("still here", Assert.Single(subscriber.Of<NoticePosted>()).Notice.Text);
        // It comes after everything that was queued before it.
        Assert.IsType<NoticePosted>(subscriber.Events[^1].Event);
    }

    [Fact]
    public async Task ClosingAUserReachesOnlyThatUserAndAnswersOnceTheirConnectionsHaveLeft()
    {
        await using var test = await TestRoom.StartAsync();
        var alice1 = TestRoom.Member("a1", "alice");
        var alice2 = TestRoom.Member("a2", "alice", MessageSource.Tcp);
        var bob = TestRoom.Member("b", "bob");
        // Plays a transport: a close event makes the user's connections leave.
        var subscriber = new RecordingSubscriber
        {
            OnEach = e =>
            {
                if (e.Event is UserClosed closed)
                    foreach (var member in new[] { alice1, alice2, bob }.Where(m => string.Equals(m.UserName, closed.UserName, StringComparison.OrdinalIgnoreCase)))
                        _ = Task.Run(() => test.Room.LeaveAsync(member));
            },
        };
        using var subscription = test.Stream.Subscribe(subscriber, 0);
        foreach (var member in new[] { alice1, alice2, bob }) await test.Room.JoinAsync(member);

        Assert.Equal(2, await test.Room.CloseUserAsync("ALICE", "kicked"));

        Assert.Equal(0, test.Presence.ConnectionsOf("alice"));
        Assert.Equal(["bob"], test.Room.Who().Select(u => u.UserName));
        var closed = Assert.Single(subscriber.Of<UserClosed>());
        Assert.Equal(("ALICE", "kicked"), (closed.UserName, closed.Reason));
        Assert.Equal(0, await test.Room.CloseUserAsync("nobody", "kicked"));
        Assert.Single(subscriber.Of<UserClosed>());
    }

    [Fact]
    public async Task AClosedRoomRefusesJoinsAndPostsWithTheShutdownReason()
    {
        await using var test = await TestRoom.StartAsync();
        var subscriber = new RecordingSubscriber();
        using var _ = test.Stream.Subscribe(subscriber, 0);

        await test.Room.CloseAsync();

        Assert.Equal(["The server is shutting down."], subscriber.Of<NoticePosted>().Select(n => n.Notice.Text));
        Assert.Equal(RoomText.ShuttingDown, Assert.Single(subscriber.Of<RoomClosing>()).Reason);
        await Assert.ThrowsAsync<RoomClosedException>(() => test.Room.JoinAsync(TestRoom.Member("m1", "alice")));
        Assert.Equal(RoomText.ShuttingDown, (await test.Room.PostAsync(TestRoom.Member("m1", "alice"), "anyone?")).Error);
        Assert.False(await test.Room.AnnounceAsync(new Notice(NoticeLevel.Info, "too late")));
        Assert.Empty(test.History.Stored);
    }

    [Fact]
    public async Task EveryMessageOfOneTurnHasOneTimeSoATurnNeverSpansTwoDayFiles()
    {
        await using var test = await TestRoom.StartAsync(time: new HourPerReadingClock(new DateTimeOffset(2026, 12, 2, 22, 0, 0, TimeSpan.Zero)));
        var alice = TestRoom.Member("m1", "alice");
        test.History.Hold();
        var first = test.Room.PostAsync(alice, "first");
        await test.History.WriteStarted.Task.WaitAsync(Patience);
        var turn = Enumerable.Range(0, 4).Select(i => test.Room.PostAsync(alice, $"queued {i}")).ToList();
        test.History.Release();
        await first.WaitAsync(Patience);

        var times = (await Task.WhenAll(turn).WaitAsync(Patience)).Select(r => r.Message!.SentAt).ToList();

        // Read one by one, these four would be four hours apart, across midnight.
        Assert.Single(times.Distinct());
    }
}
