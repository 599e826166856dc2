using System.Buffers.Text;

namespace ChatWeb.Bench.Measuring;

/// <summary>What a benchmark message says about itself: the run it belongs to, its sender, its number and when it was due.</summary>
internal readonly record struct Marker(int Run, int Sender, long Sequence, long SentTimestamp);

/// <summary>
/// The text of every benchmark message: <c>~m&lt;run&gt;.&lt;sender&gt;.&lt;sequence&gt;.&lt;timestamp&gt;~</c>, padded with
/// <c>x</c> to a typical chat line's length. Plain ASCII that no transport escapes (JSON, IRC, the TCP line),
/// so a receiver finds it in whatever frame the server wraps it in without decoding the frame.
/// </summary>
internal static class MessageMarker
{
    /// <summary>Room for the marker with every number at its longest.</summary>
    public const int MaxMarkerBytes = 2 + 10 + 1 + 10 + 1 + 19 + 1 + 19 + 1;

    private static ReadOnlySpan<byte> Start => "~m"u8;

    /// <summary>Writes the text into <paramref name="destination"/>; returns its length (at least <paramref name="textBytes"/>).</summary>
    public static int Write(Span<byte> destination, in Marker marker, int textBytes)
    {
        Start.CopyTo(destination);
        var at = Start.Length;
        at += WriteNumber(destination[at..], marker.Run, '.');
        at += WriteNumber(destination[at..], marker.Sender, '.');
        at += WriteNumber(destination[at..], marker.Sequence, '.');
        at += WriteNumber(destination[at..], marker.SentTimestamp, '~');
        if (at < textBytes)
        {
            destination[at..textBytes].Fill((byte)'x');
            at = textBytes;
        }
        return at;
    }

    /// <summary>Finds and reads the marker anywhere in a frame; false when the frame holds none.</summary>
    public static bool TryFind(ReadOnlySpan<byte> frame, out Marker marker)
    {
        marker = default;
        var start = frame.IndexOf(Start);
        if (start < 0) return false;
        var rest = frame[(start + Start.Length)..];
        if (!TryReadNumber(ref rest, '.', out var run) || run > int.MaxValue) return false;
        if (!TryReadNumber(ref rest, '.', out var sender) || sender > int.MaxValue) return false;
        if (!TryReadNumber(ref rest, '.', out var sequence)) return false;
        if (!TryReadNumber(ref rest, '~', out var timestamp)) return false;
        marker = new Marker((int)run, (int)sender, sequence, timestamp);
        return true;
    }

    private static int WriteNumber(Span<byte> destination, long value, char end)
    {
        Utf8Formatter.TryFormat(value, destination, out var written);
        destination[written] = (byte)end;
        return written + 1;
    }

    private static bool TryReadNumber(ref ReadOnlySpan<byte> text, char end, out long value)
    {
        if (!Utf8Parser.TryParse(text, out value, out var consumed) || consumed == 0 || value < 0) return false;
        if (consumed >= text.Length || text[consumed] != end) return false;
        text = text[(consumed + 1)..];
        return true;
    }
}
