using System.Globalization;
using System.Runtime.CompilerServices;
using ChatWeb.Server.Chat;
using ChatWeb.Server.Hosting;
using CsvHelper;

namespace ChatWeb.Server.History;

/// <summary>Reads history files: whole at start-up (with where each record starts), or one segment from a mark for a query.</summary>
internal static class HistoryFileReader
{
    // A query starts mid-file, after the header, and wants a page: a small buffer is enough.
    private static readonly CsvReaderOptions FromMark = new()
    {
        HasHeader = false,
        MalformedData = CsvMalformedDataHandling.Throw,
        FieldCountMismatch = CsvFieldCountHandling.Throw,
        BufferSize = 16 * 1024,
    };

    /// <summary>Every record of a file, with the byte offset where it starts; throws naming the file and line when it cannot be trusted.</summary>
    public static IEnumerable<(ChatMessage Message, long Offset)> ReadAll(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var csv = CsvReader.Create(stream, CsvFormat.Strict, leaveOpen: false);
        while (true)
        {
            (ChatMessage, long) record;
            try
            {
                if (!csv.Read()) yield break;
                if (!csv.Headers.SequenceEqual(HistoryCsv.Header))
                    throw Corrupt(path, "line", 1, $"the header must be {string.Join(',', HistoryCsv.Header)}");
                record = (Parse(csv, path, "line", csv.LineNumber), csv.ByteOffset);
            }
            catch (CsvFormatException ex)
            {
                throw Corrupt(path, "line", ex.LineNumber, ex.Message);
            }
            yield return record;
        }
    }

    /// <summary>
    /// The records of one segment, from its mark through its last id. <paramref name="parsed"/> is called for
    /// every record parsed, so what a query costs can be counted.
    /// </summary>
    public static async IAsyncEnumerable<ChatMessage> ReadSegmentAsync(
        HistoryIndex.Segment segment, Action parsed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        stream.Seek(segment.Offset, SeekOrigin.Begin);
        await using var csv = CsvReader.Create(stream, FromMark, leaveOpen: false);
        var first = true;
        while (true)
        {
            ChatMessage message;
            try
            {
                if (!await csv.ReadAsync(cancellationToken)) yield break;
                parsed();
                message = Parse(csv, segment.Path, "byte", segment.Offset + csv.ByteOffset);
            }
            catch (CsvFormatException ex)
            {
                throw Corrupt(segment.Path, "byte", segment.Offset, ex.Message);
            }
            // The mark was taken from this file: a different record there means the file was changed under the server.
            if (first && message.Id != segment.FirstId)
                throw Corrupt(segment.Path, "byte", segment.Offset, $"expected message {segment.FirstId}, found {message.Id}; the file changed while the server ran");
            first = false;
            yield return message;
            // Past the last id the index knows may lie a batch still being written.
            if (message.Id >= segment.LastId) yield break;
        }
    }

    private static ChatMessage Parse(CsvReader csv, string path, string unit, long position)
    {
        if (csv.FieldCount != HistoryCsv.Header.Length)
            throw Corrupt(path, unit, position, $"expected {HistoryCsv.Header.Length} fields, found {csv.FieldCount}");
        if (!long.TryParse(csv.GetString(0), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            throw Corrupt(path, unit, position, $"'{csv.GetString(0)}' is not a message id");
        if (!HistoryCsv.TryParseTimestamp(csv.GetString(1), out var sentAt))
            throw Corrupt(path, unit, position, $"'{csv.GetString(1)}' is not a UTC timestamp");
        if (!HistoryCsv.TryParseSource(csv.GetString(3), out var source))
            throw Corrupt(path, unit, position, $"'{csv.GetString(3)}' is not a source (web, tcp, system)");
        return new ChatMessage(id, csv.GetString(2), HistoryCsv.Unprotect(csv.GetString(4)), sentAt, source);
    }

    /// <param name="unit">"line" (start-up reads count lines) or "byte" (a query starts mid-file, where only the offset is known).</param>
    private static InvalidDataException Corrupt(string path, string unit, long position, string problem) =>
        new($"History file {path} cannot be read at {unit} {position}: {problem}. Fix or move the file; ChatWeb does not start on a history it cannot trust.");
}
