using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using ChatWeb.Server.Gateway;

namespace ChatWeb.Tests.Gateway;

/// <summary>The gateway's line reader without sockets: bytes split across segments and across reads.</summary>
public sealed class LineReaderTests
{
    private const int Max = 16;

    [Fact]
    public async Task LinesEndingInLfOrCrlfAreReadWithoutTheirLineEnds()
    {
        var lines = await ReadAllAsync(Sequence("one\ntwo\r\nthree\n"));
        Assert.Equal(["one", "two", "three"], lines);
    }

    [Fact]
    public async Task LinesSplitAcrossSegmentsAreJoined()
    {
        var lines = await ReadAllAsync(Sequence("he", "llo\nwor", "", "ld", "\n"));
        Assert.Equal(["hello", "world"], lines);
    }

    [Fact]
    public async Task CrlfSplitBetweenSegmentsIsOneLineEnd()
    {
        var lines = await ReadAllAsync(Sequence("abc\r", "\ndef\r", "\n"));
        Assert.Equal(["abc", "def"], lines);
    }

    [Fact]
    public async Task MultiByteCharacterSplitAcrossSegmentsIsDecodedWhole()
    {
        var bytes = Encoding.UTF8.GetBytes("Жук 🐞\n");
        // Cut inside the two-byte Ж and inside the four-byte ladybird.
        var lines = await ReadAllAsync(Sequence(bytes[..1], bytes[1..6], bytes[6..8], bytes[8..]));
        Assert.Equal(["Жук 🐞"], lines);
    }

    [Fact]
    public async Task MultiByteCharacterSplitAcrossReadsIsDecodedWhole()
    {
        var pipe = new Pipe();
        var reader = new LineReader(pipe.Reader, Max);
        var bytes = Encoding.UTF8.GetBytes("ё\n");

        await pipe.Writer.WriteAsync(bytes[..1]);
        var pending = reader.ReadLineAsync().AsTask();
        await Task.Yield();
        Assert.False(pending.IsCompleted);
        await pipe.Writer.WriteAsync(bytes[1..]);

        Assert.Equal(new InputLine(InputKind.Line, "ё"), await pending);
    }

    [Fact]
    public async Task InvalidUtf8BecomesReplacementCharacters()
    {
        var bytes = new byte[] { (byte)'a', 0xFF, (byte)'b', 0xC3, (byte)'\n' };
        var lines = await ReadAllAsync(Sequence(bytes));
        Assert.Equal(["a\uFFFDb\uFFFD"], lines);
    }

    [Fact]
    public async Task OverlongLineIsReportedOnceAndTheRestOfItDiscarded()
    {
        var overlong = new string('x', Max * 3);
        var results = await ReadResultsAsync(Sequence("ok\n", overlong[..20], overlong[20..], "tail of it\nnext\n"));
        Assert.Equal([Line("ok"), InputLine.TooLong, Line("next"), InputLine.End], results);
    }

    [Fact]
    public async Task OverlongLineArrivingWholeIsReportedAndTheNextLineRead()
    {
        var results = await ReadResultsAsync(Sequence(new string('y', Max + 1) + "\nafter\n"));
        Assert.Equal([InputLine.TooLong, Line("after"), InputLine.End], results);
    }

    [Fact]
    public async Task LineOfExactlyTheMaximumIsAcceptedWithItsCrlf()
    {
        var exact = new string('z', Max);
        var results = await ReadResultsAsync(Sequence(exact + "\r", "\n"));
        Assert.Equal([Line(exact), InputLine.End], results);
    }

    [Fact]
    public async Task OverlongLineIsReportedBeforeItsNewlineArrives()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var reader = new LineReader(pipe.Reader, Max);

        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(new string('x', Max + 2)));
        Assert.Equal(InputLine.TooLong, await reader.ReadLineAsync());

        // More of the same line keeps being dropped without waiting for its newline.
        for (var i = 0; i < 100; i++) await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(new string('x', 1000)));
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("\nfine\n"));
        Assert.Equal(Line("fine"), await reader.ReadLineAsync());
    }

    [Fact]
    public async Task LastLineWithoutNewlineIsReadAtTheEnd()
    {
        var results = await ReadResultsAsync(Sequence("first\nlast words"));
        Assert.Equal([Line("first"), Line("last words"), InputLine.End], results);
    }

    private static InputLine Line(string text) => new(InputKind.Line, text);

    private static async Task<List<string>> ReadAllAsync(ReadOnlySequence<byte> input)
    {
        var results = await ReadResultsAsync(input);
        Assert.All(results[..^1], r => Assert.Equal(InputKind.Line, r.Kind));
        return results.Where(r => r.Kind == InputKind.Line).Select(r => r.Text).ToList();
    }

    private static async Task<List<InputLine>> ReadResultsAsync(ReadOnlySequence<byte> input)
    {
        var reader = new LineReader(PipeReader.Create(input), Max);
        var results = new List<InputLine>();
        while (true)
        {
            var next = await reader.ReadLineAsync();
            results.Add(next);
            if (next.Kind == InputKind.End || results.Count > 100) return results;
        }
    }

    private static ReadOnlySequence<byte> Sequence(params string[] parts) =>
        Sequence(parts.Select(p => Encoding.UTF8.GetBytes(p)).ToArray());

    private static ReadOnlySequence<byte> Sequence(params byte[][] parts)
    {
        var first = new Segment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1)) last = last.Append(part);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
