using System.Text;
using ChatWeb.Bench.Measuring;
using ChatWeb.Bench.Transports;

namespace ChatWeb.Bench.Tests;

public sealed class MessageFramingTests
{
    [Theory]
    [InlineData("[22:43:29] bench0001: {0}")]
    [InlineData(":u3!~u3@localhost PRIVMSG #bench :{0}\r")]
    [InlineData("{{\"type\":1,\"target\":\"Message\",\"arguments\":[{{\"id\":42,\"user\":\"bench0001\",\"text\":\"{0}\",\"sentAt\":\"2026-11-21T22:43:29.123Z\",\"source\":\"web\"}}]}}")]
    public void MarkerIsFoundInWhateverFrameTheServerWrapsItIn(string frameFormat)
    {
        var marker = new Marker(Run: 3, Sender: 9, Sequence: 123_456, SentTimestamp: 987_654_321_012_345);
        var text = new byte[MessageMarker.MaxMarkerBytes + 64];
        var length = MessageMarker.Write(text, marker, textBytes: 64);
        var frame = Encoding.ASCII.GetBytes(string.Format(frameFormat, Encoding.ASCII.GetString(text, 0, length)));

        Assert.Equal(64, length);
        Assert.True(MessageMarker.TryFind(frame, out var found));
        Assert.Equal(marker, found);
    }

    [Theory]
    [InlineData("* bench0002 joined")]
    [InlineData("[22:43:29] bench0001: ~m1.2.3")]
    [InlineData("[22:43:29] bench0001: ~m1.2.x.4~")]
    [InlineData("[22:43:29] bench0001: ~m-1.2.3.4~")]
    [InlineData("[22:43:29] bench0001: ~m1.2.3.4")]
    public void FramesWithoutACompleteMarkerAreNotCounted(string frame) =>
        Assert.False(MessageMarker.TryFind(Encoding.ASCII.GetBytes(frame), out _));

    [Fact]
    public void AMarkerLongerThanTheWantedTextIsNotCut()
    {
        var text = new byte[MessageMarker.MaxMarkerBytes];
        var length = MessageMarker.Write(text, new Marker(int.MaxValue, int.MaxValue, long.MaxValue, long.MaxValue), textBytes: 10);
        Assert.Equal(MessageMarker.MaxMarkerBytes, length);
    }

    [Fact]
    public void FramesSplitAcrossReadsArriveWhole()
    {
        var frames = new FrameCollector();
        using var buffer = new FrameBuffer((byte)'\n', capacity: 16);

        foreach (var piece in new[] { "first li", "ne\nsecond\nthi", "rd line is longer than the buffer", "\n" })
        {
            var bytes = Encoding.ASCII.GetBytes(piece);
            var offset = 0;
            while (offset < bytes.Length)
            {
                var room = buffer.FreeSpace;
                var count = Math.Min(room.Length, bytes.Length - offset);
                bytes.AsSpan(offset, count).CopyTo(room.Span);
                buffer.Commit(count, frames, receivedTimestamp: 42);
                offset += count;
            }
        }

        Assert.Equal(["first line", "second", "third line is longer than the buffer"], frames.Lines);
    }

    [Theory]
    [InlineData(":irc.local 001 u1 :Welcome to the network", "001")]
    [InlineData(":irc.local 366 u1 #bench :End of /NAMES list.", "366")]
    [InlineData(":u2!~u2@localhost JOIN :#bench", null)]
    [InlineData("PING :irc.local", null)]
    public void IrcNumericRepliesAreRecognised(string line, string? numeric) => Assert.Equal(numeric, IrcClient.Numeric(line));

    private sealed class FrameCollector : IFrameHandler
    {
        public List<string> Lines { get; } = [];

        public void OnFrame(ReadOnlySpan<byte> frame, long receivedTimestamp) => Lines.Add(Encoding.ASCII.GetString(frame));
    }
}
