using System.Globalization;
using ChatWeb.Server.Chat;
using ChatWeb.Server.Hosting;
using CsvHelper;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.History;

/// <summary>
/// History in append-only CSV files, one per UTC day. Only the room's dispatcher appends (one writer,
/// batched); recent messages are also kept in memory so joins and catch-ups rarely touch the disk.
/// </summary>
public sealed partial class CsvChatHistory(DataDirectory data, IOptions<HistoryOptions> options, ILogger<CsvChatHistory> logger)
    : IChatHistory, IDisposable
{
    // Enough for every join and most reconnects; older catch-ups read the files.
    internal const int MemoryCapacity = 10_000;

    private readonly Lock _memoryGate = new();
    private readonly List<ChatMessage> _recent = [];
    private OpenFile? _file;
    private long _lastId;
    private DateTime _countedDay;
    private int _countedMessages;

    public string Folder { get; } = data.HistoryFolder;

    public long LastId => Interlocked.Read(ref _lastId);

    public Task LoadAsync(CancellationToken cancellationToken)
    {
        PrivateFiles.CreateFolder(Folder);
        long lastId = 0;
        foreach (var path in HistoryFiles())
        {
            cancellationToken.ThrowIfCancellationRequested();
            CutTornTail(path);
            foreach (var message in ReadFile(path))
            {
                if (message.Id <= lastId)
                    throw new InvalidDataException($"History file {path}: message id {message.Id} is not after {lastId}; the history files are out of order. Fix or move the file; ChatWeb does not start on a history it cannot trust.");
                lastId = message.Id;
                Remember(message);
            }
        }
        Interlocked.Exchange(ref _lastId, lastId);
        LogLoaded(logger, Folder, lastId);
        return Task.CompletedTask;
    }

    public Task AppendAsync(IReadOnlyList<ChatMessage> batch, CancellationToken cancellationToken)
    {
        var start = 0;
        while (start < batch.Count)
        {
            // A batch that crosses midnight goes to two files.
            var day = batch[start].SentAt.Date;
            var end = start;
            while (end < batch.Count && batch[end].SentAt.Date == day) end++;
            WriteToDay(day, batch, start, end);
            start = end;
        }

        foreach (var message in batch) Remember(message);
        Interlocked.Exchange(ref _lastId, batch[^1].Id);
        return Task.CompletedTask;
    }

    public IReadOnlyList<ChatMessage> GetLast(int count)
    {
        if (count <= 0) return [];
        lock (_memoryGate)
        {
            var take = Math.Min(count, _recent.Count);
            return _recent.GetRange(_recent.Count - take, take);
        }
    }

    public IReadOnlyList<ChatMessage> GetAfter(long afterId, int limit)
    {
        lock (_memoryGate)
        {
            // Everything after afterId is in memory when the oldest remembered message is at most afterId + 1.
            if (_recent.Count == 0 || _recent[0].Id <= afterId + 1)
            {
                var from = _recent.FindIndex(m => m.Id > afterId);
                return from < 0 ? [] : _recent.GetRange(from, Math.Min(limit, _recent.Count - from));
            }
        }
        return ReadAfterFromFiles(afterId, limit);
    }

    /// <summary>How many messages were stored on a UTC day (the current one, as the files are written day by day).</summary>
    public int CountOn(DateTime utcDay)
    {
        lock (_memoryGate) return _countedDay == utcDay.Date ? _countedMessages : 0;
    }

    public void Dispose() => _file?.Dispose();

    private void WriteToDay(DateTime day, IReadOnlyList<ChatMessage> batch, int start, int end)
    {
        var file = OpenFor(day);
        var lengthBefore = file.Stream.Length;
        try
        {
            for (var i = start; i < end; i++)
            {
                var m = batch[i];
                file.Csv.WriteField(m.Id.ToString(CultureInfo.InvariantCulture));
                file.Csv.WriteField(HistoryCsv.FormatTimestamp(m.SentAt));
                file.Csv.WriteField(m.User);
                file.Csv.WriteField(HistoryCsv.FormatSource(m.Source));
                file.Csv.WriteField(HistoryCsv.Protect(m.Text));
                file.Csv.EndRecord();
            }
            file.Csv.Flush();
            file.Stream.Flush(flushToDisk: options.Value.Durability == HistoryDurability.Fsync);
        }
        catch
        {
            // Leave no half batch behind: those messages are refused, so they must not appear after a restart.
            _file = null;
            file.Abandon(lengthBefore);
            throw;
        }
    }

    private OpenFile OpenFor(DateTime day)
    {
        // A file that is no longer where we opened it (history folder moved or deleted) would swallow
        // writes into an unlinked inode: reopen at the path instead, which fails loudly if it cannot.
        if (_file is { } open && open.Day == day && File.Exists(open.Path)) return open;
        _file?.Dispose();
        _file = null;

        PrivateFiles.CreateFolder(Folder);
        var path = Path.Combine(Folder, HistoryCsv.FileName(day));
        CutTornTail(path);
        var stream = PrivateFiles.Open(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1);
        var file = new OpenFile(day, path, stream);
        if (stream.Length == 0)
        {
            foreach (var column in HistoryCsv.Header) file.Csv.WriteField(column);
            file.Csv.EndRecord();
        }
        return _file = file;
    }

    private void Remember(ChatMessage message)
    {
        lock (_memoryGate)
        {
            if (message.SentAt.Date != _countedDay) (_countedDay, _countedMessages) = (message.SentAt.Date, 0);
            _countedMessages++;
            _recent.Add(message);
            if (_recent.Count > 2 * MemoryCapacity) _recent.RemoveRange(0, _recent.Count - MemoryCapacity);
        }
    }

    private List<ChatMessage> ReadAfterFromFiles(long afterId, int limit)
    {
        var found = new List<ChatMessage>(Math.Min(limit, 1024));
        foreach (var path in HistoryFiles())
        {
            foreach (var message in ReadFile(path))
            {
                if (message.Id <= afterId) continue;
                found.Add(message);
                if (found.Count == limit) return found;
            }
        }
        return found;
    }

    private IEnumerable<string> HistoryFiles() =>
        Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder, "history-*.csv").Order(StringComparer.Ordinal)
            : [];

    private static IEnumerable<ChatMessage> ReadFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var csv = CsvReader.Create(stream, CsvFormat.Strict, leaveOpen: false);
        while (true)
        {
            ChatMessage message;
            try
            {
                if (!csv.Read()) yield break;
                if (!csv.Headers.SequenceEqual(HistoryCsv.Header))
                    throw Corrupt(path, 1, $"the header must be {string.Join(',', HistoryCsv.Header)}");
                message = Parse(csv, path);
            }
            catch (CsvFormatException ex)
            {
                throw Corrupt(path, ex.LineNumber, ex.Message);
            }
            yield return message;
        }
    }

    private static ChatMessage Parse(CsvReader csv, string path)
    {
        var line = csv.LineNumber;
        if (csv.FieldCount != HistoryCsv.Header.Length)
            throw Corrupt(path, line, $"expected {HistoryCsv.Header.Length} fields, found {csv.FieldCount}");
        if (!long.TryParse(csv.GetString(0), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            throw Corrupt(path, line, $"'{csv.GetString(0)}' is not a message id");
        if (!HistoryCsv.TryParseTimestamp(csv.GetString(1), out var sentAt))
            throw Corrupt(path, line, $"'{csv.GetString(1)}' is not a UTC timestamp");
        if (!HistoryCsv.TryParseSource(csv.GetString(3), out var source))
            throw Corrupt(path, line, $"'{csv.GetString(3)}' is not a source (web, tcp, system)");
        return new ChatMessage(id, csv.GetString(2), HistoryCsv.Unprotect(csv.GetString(4)), sentAt, source);
    }

    /// <summary>
    /// A crash can leave the last record half written (every record ends with a newline, so the file
    /// then does not). Cut it back to the last complete record, and say so.
    /// </summary>
    private void CutTornTail(string path)
    {
        if (!File.Exists(path)) return;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (stream.Length == 0) return;
        stream.Seek(-1, SeekOrigin.End);
        if (stream.ReadByte() == '\n') return;

        stream.Seek(0, SeekOrigin.Begin);
        var keep = CompleteRecordsLength(stream);
        LogTornTail(logger, path, stream.Length - keep);
        stream.SetLength(keep);
    }

    /// <summary>Bytes up to and including the last newline that is outside a quoted field.</summary>
    internal static long CompleteRecordsLength(Stream stream)
    {
        long keep = 0, position = 0;
        var quoted = false;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            for (var i = 0; i < read; i++, position++)
            {
                // Escaped quotes ("") toggle twice, so the state is right at every newline.
                if (buffer[i] == '"') quoted = !quoted;
                else if (buffer[i] == '\n' && !quoted) keep = position + 1;
            }
        }
        return keep;
    }

    private static InvalidDataException Corrupt(string path, long line, string problem) =>
        new($"History file {path} cannot be read at line {line}: {problem}. Fix or move the file; ChatWeb does not start on a history it cannot trust.");

    private sealed class OpenFile(DateTime day, string path, FileStream stream) : IDisposable
    {
        public DateTime Day { get; } = day;
        public string Path { get; } = path;
        public FileStream Stream { get; } = stream;
        public CsvWriter Csv { get; } = CsvWriter.Create(stream, CsvFormat.Lines, leaveOpen: true);

        /// <summary>After a failed write: cut back what part of the batch reached the file and let go of it.</summary>
        public void Abandon(long length)
        {
            try { Stream.SetLength(length); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            // The stream goes first so that the writer's buffered remains of the batch have nowhere to go.
            Stream.Dispose();
            try { Csv.Dispose(); } catch (ObjectDisposedException) { }
        }

        public void Dispose()
        {
            Csv.Dispose();
            Stream.Dispose();
        }
    }

    [LoggerMessage(LogLevel.Information, "History loaded from {Folder}; last message id {LastId}")]
    private static partial void LogLoaded(ILogger logger, string folder, long lastId);

    [LoggerMessage(LogLevel.Warning, "History file {Path} ended in a half-written record (a crash while writing); cut {Bytes} bytes")]
    private static partial void LogTornTail(ILogger logger, string path, long bytes);
}
