using ChatWeb.Server.Chat;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatWeb.Tests.Chat;

public sealed class RoomStreamTests
{
    private static StreamEvent[] Notices(long from, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new StreamEvent(from + i, new NoticePosted(new Notice(NoticeLevel.Info, $"n{from + i}"))))];

    [Fact]
    public void ASubscriberFromAPastPositionGetsWhatCameAfterItThenEveryNewCommitWithoutGapOrRepeat()
    {
        var stream = new RoomStream(NullLogger<RoomStream>.Instance);
        stream.Publish(Notices(1, 10));
        var late = new RecordingSubscriber();

        using var _ = stream.Subscribe(late, fromPosition: 6);
        stream.Publish(Notices(11, 2));

        Assert.Equal([7L, 8, 9, 10, 11, 12], late.Events.Select(e => e.Position));
        Assert.Equal([4, 2], late.Batches);
        Assert.Equal(12, stream.Position);
    }

    [Fact]
    public void PositionsNoLongerKeptOrNotYetReachedAreRefused()
    {
        var stream = new RoomStream(NullLogger<RoomStream>.Instance);
        stream.Publish(Notices(1, RoomStream.Retained + 10));

        var tooOld = Assert.Throws<ArgumentOutOfRangeException>(() => stream.Subscribe(new RecordingSubscriber(), fromPosition: 5));
        Assert.Equal("fromPosition", tooOld.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Subscribe(new RecordingSubscriber(), fromPosition: long.MaxValue));
        // The oldest kept event is still there for a subscriber right before it.
        var edge = new RecordingSubscriber();
        using var _ = stream.Subscribe(edge, fromPosition: 10);
        Assert.Equal(RoomStream.Retained, edge.Events.Count);
        Assert.Equal(11, edge.Events[0].Position);
    }

    [Fact]
    public void ABrokenSubscriberDoesNotStopTheOthersAndAnUnsubscribedOneGetsNothingMore()
    {
        var stream = new RoomStream(NullLogger<RoomStream>.Instance);
        var broken = new RecordingSubscriber { OnEach = _ => throw new InvalidOperationException("broken transport") };
        var healthy = new RecordingSubscriber();
        var leaving = new RecordingSubscriber();
        using var a = stream.Subscribe(broken, 0);
        using var b = stream.Subscribe(healthy, 0);
        var c = stream.Subscribe(leaving, 0);

        stream.Publish(Notices(1, 1));
        c.Dispose();
        stream.Publish(Notices(2, 1));

        Assert.Equal([1L, 2], healthy.Events.Select(e => e.Position));
        Assert.Equal([1L], leaving.Events.Select(e => e.Position));
    }
}
