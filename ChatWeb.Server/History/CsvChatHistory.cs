using System.Globalization;
using ChatWeb.Server.Chat;
using ChatWeb.Server.Hosting;
using CsvHelper;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.History;

/// <summary>
/// History in append-only CSV files, one per UTC day. Only the room's sequencer appends (one writer,
/// batched); recent messages are also kept in memory so joins and catch-ups rarely touch the disk, and
/// older pages seek through a sparse index (<see cref="HistoryIndex"/>) instead of parsing whole files.
/// </summary>
public sealed partial class CsvChatHistory(DataDirectory data, IOptions<HistoryOptions> options, ILogger<CsvChatHistory> logger)
    : IChatHistory, IDisposable
{
    // Enough for every join and most reconnects; older catch-ups read the files.
    internal const int MemoryCapacity = 10_000;

    private readonly Lock _memoryGate = new();
    private readonly List<ChatMessage> _recent = [];
    private readonly HistoryIndex _index = new();
    private OpenFile? _file;
    private long _lastId;
    private DateTime _countedDay;
    private int _countedMessages;
    private long _recordsReadForQueries;

    public string Folder { get; } = data.HistoryFolder;

    public long LastId => Interlocked.Read(ref _lastId);

    /// <summary>Records parsed from the files to answer history queries (not at start-up): what a query costs, counted.</summary>
    internal long RecordsReadForQueries => Interlocked.Read(ref _recordsReadForQueries);

    public Task LoadAsync(CancellationToken cancellationToken)
    {
        PrivateFiles.CreateFolder(Folder);
        long lastId = 0;
        foreach (var path in HistoryFiles())
        {
            cancellationToken.ThrowIfCancellationRequested();
            CutTornTail(path);
            foreach (var (message, offset) in HistoryFileReader.ReadAll(path))
            {
                if (message.Id <= lastId)
                    throw new InvalidDataException($"History file {path}: message id {message.Id} is not after {lastId}; the history files are out of order. Fix or move the file; ChatWeb does not start on a history it cannot trust.");
                lastId = message.Id;
                Remember(message);
                _index.Add(path, message.Id, offset);
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

    public ValueTask<IReadOnlyList<ChatMessage>> GetAfterAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        // Nothing after the newest id: answered without a look at memory or files, whatever afterId is (long.MaxValue too).
        if (limit <= 0 || afterId >= LastId) return ValueTask.FromResult<IReadOnlyList<ChatMessage>>([]);
        lock (_memoryGate)
        {
            // Everything after afterId is in memory when the oldest remembered message is at most afterId + 1
            // (compared as Id - 1 <= afterId: ids are at least 1, so nothing overflows).
            if (_recent.Count > 0 && _recent[0].Id - 1 <= afterId)
            {
                var from = FirstRememberedAfter(afterId);
                return ValueTask.FromResult<IReadOnlyList<ChatMessage>>(_recent.GetRange(from, Math.Min(limit, _recent.Count - from)));
            }
        }
        return ReadAfterFromFilesAsync(afterId, limit, cancellationToken);
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
        var recordsBefore = _index.RecordsIn(file.Path);
        // Where each record starts, taken for the index's marks only (a flush each, every Spacing records).
        var offsets = new long[end - start];
        try
        {
            for (var i = start; i < end; i++)
            {
                var m = batch[i];
                if (HistoryIndex.IsMark(recordsBefore + i - start))
                {
                    file.Csv.Flush();
                    offsets[i - start] = file.Stream.Position;
                }
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
        // Indexed once stored: a failed batch is cut from the file and never reaches the index.
        for (var i = start; i < end; i++) _index.Add(file.Path, batch[i].Id, offsets[i - start]);
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
            // A new file at the path of one the index knew (its folder was deleted): its old records are gone.
            _index.Forget(path);
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

    /// <summary>The position of the first remembered message after <paramref name="afterId"/> (a binary search; ids ascend).</summary>
    private int FirstRememberedAfter(long afterId)
    {
        int low = 0, high = _recent.Count;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            if (_recent[middle].Id <= afterId) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    /// <summary>
    /// From the files, through the index: the read starts at the last mark at or before afterId, so it parses at most
    /// <see cref="HistoryIndex.Spacing"/> records it does not return, plus the page.
    /// </summary>
    private async ValueTask<IReadOnlyList<ChatMessage>> ReadAfterFromFilesAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        var found = new List<ChatMessage>(Math.Min(limit, 512));
        foreach (var segment in _index.SegmentsAfter(afterId, limit))
        {
            await foreach (var message in HistoryFileReader.ReadSegmentAsync(segment, CountRecordRead, cancellationToken))
            {
                if (message.Id <= afterId) continue;
                found.Add(message);
                if (found.Count == limit) return found;
            }
        }
        return found;
    }

    private void CountRecordRead() => Interlocked.Increment(ref _recordsReadForQueries);

    private IEnumerable<string> HistoryFiles() =>
        Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder, "history-*.csv").Order(StringComparer.Ordinal)
            : [];

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
