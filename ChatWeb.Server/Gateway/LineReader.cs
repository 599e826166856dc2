using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace ChatWeb.Server.Gateway;

public enum InputKind { Line, TooLong, End }

/// <summary>One thing read off a client: a line (without its CR/LF), the fact that a line was too long, or the end.</summary>
public readonly record struct InputLine(InputKind Kind, string Text = "")
{
    public static readonly InputLine End = new(InputKind.End);
    public static readonly InputLine TooLong = new(InputKind.TooLong);
}

/// <summary>
/// Reads UTF-8 lines ending in LF or CRLF from a <see cref="PipeReader"/>. Invalid bytes become U+FFFD.
/// At most <c>maxLineBytes</c> (plus a CR) are ever kept unconsumed: a longer line is reported once as
/// <see cref="InputKind.TooLong"/> and the rest of it, up to its newline, is discarded, so one client
/// cannot make the server buffer without bound and the session can go on.
/// </summary>
public sealed class LineReader(PipeReader reader, int maxLineBytes)
{
    // Encoding.UTF8 replaces invalid bytes with U+FFFD instead of throwing.
    private static readonly Encoding Utf8 = Encoding.UTF8;

    private bool _discarding;

    public int MaxLineBytes => maxLineBytes;

    public async ValueTask<InputLine> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (result.IsCanceled) return InputLine.End;

            var outcome = Take(ref buffer, result.IsCompleted);
            // Consumed up to where Take stopped; everything was examined when it found no line, so the next read waits for more bytes.
            reader.AdvanceTo(buffer.Start, outcome is null ? buffer.End : buffer.Start);
            if (outcome is { } found) return found;
            if (result.IsCompleted) return InputLine.End;
        }
    }

    /// <summary>Takes one line (or the too-long report) off the front of <paramref name="buffer"/>; null when more bytes are needed.</summary>
    private InputLine? Take(ref ReadOnlySequence<byte> buffer, bool isCompleted)
    {
        while (true)
        {
            var newline = buffer.PositionOf((byte)'\n');
            if (_discarding)
            {
                if (newline is null)
                {
                    buffer = buffer.Slice(buffer.End);
                    return null;
                }
                // The end of the over-long line: drop it and look for a proper line after it.
                buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
                _discarding = false;
                continue;
            }

            if (newline is { } end)
            {
                var line = buffer.Slice(0, end);
                buffer = buffer.Slice(buffer.GetPosition(1, end));
                if (line.Length > 0 && EndsWithCarriageReturn(line)) line = line.Slice(0, line.Length - 1);
                return line.Length > maxLineBytes ? InputLine.TooLong : new InputLine(InputKind.Line, Utf8.GetString(line));
            }

            // No newline: a line that can still fit waits for more; one that cannot is reported now, not buffered.
            if (buffer.Length > maxLineBytes + 1)
            {
                buffer = buffer.Slice(buffer.End);
                _discarding = true;
                return InputLine.TooLong;
            }
            if (isCompleted && buffer.Length > 0)
            {
                // The client's last words, sent without a newline.
                var last = buffer;
                buffer = buffer.Slice(buffer.End);
                if (EndsWithCarriageReturn(last)) last = last.Slice(0, last.Length - 1);
                return last.Length > maxLineBytes ? InputLine.TooLong : new InputLine(InputKind.Line, Utf8.GetString(last));
            }
            return null;
        }
    }

    private static bool EndsWithCarriageReturn(ReadOnlySequence<byte> line) =>
        line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r';
}
