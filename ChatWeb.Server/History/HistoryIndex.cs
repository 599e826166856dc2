namespace ChatWeb.Server.History;

/// <summary>
/// Where a read of the history files starts: the id and byte offset of every <see cref="Spacing"/>th record of
/// each day file. Built while the files are loaded and extended as the writer appends, it keeps 24 bytes per
/// 256 messages (about 100 KB per million). A read seeks to the last mark at or before its first id, so it parses
/// fewer than <see cref="Spacing"/> records it does not return, whatever the size of the history.
/// </summary>
internal sealed class HistoryIndex
{
    public const int Spacing = 256;

    private readonly Lock _gate = new();
    private readonly List<DayFile> _files = [];
    private readonly List<Mark> _marks = [];

    /// <summary>A record the index can seek to: its id, its file (index into the files) and where it starts.</summary>
    private readonly record struct Mark(long Id, int File, long Offset);

    private sealed class DayFile(string path, int firstMark)
    {
        public string Path { get; } = path;
        public int FirstMark { get; } = firstMark;
        public int Records { get; set; }
        public long LastId { get; set; }
    }

    /// <summary>One file's part of a read: from <see cref="Offset"/> (a record with id <see cref="FirstId"/>) through id <see cref="LastId"/>.</summary>
    public readonly record struct Segment(string Path, long Offset, long FirstId, long LastId);

    /// <summary>Whether the record numbered <paramref name="record"/> (0-based) in its file is a mark, whose offset is kept.</summary>
    public static bool IsMark(int record) => record % Spacing == 0;

    /// <summary>How many records of <paramref name="path"/> the index holds, if it is the newest file (the only one that grows).</summary>
    public int RecordsIn(string path)
    {
        lock (_gate) return _files.Count > 0 && _files[^1].Path == path ? _files[^1].Records : 0;
    }

    /// <summary>
    /// Adds the next record of <paramref name="path"/> (the newest file, or a newer one). <paramref name="offset"/>
    /// is where the record starts; it is needed only when the record is a mark (see <see cref="IsMark"/>).
    /// </summary>
    public void Add(string path, long id, long offset)
    {
        lock (_gate)
        {
            if (_files.Count == 0 || _files[^1].Path != path) _files.Add(new DayFile(path, _marks.Count));
            var file = _files[^1];
            if (IsMark(file.Records)) _marks.Add(new Mark(id, _files.Count - 1, offset));
            file.Records++;
            file.LastId = id;
        }
    }

    /// <summary>The newest file was created anew (its folder was deleted): what the index knew of it is gone.</summary>
    public void Forget(string path)
    {
        lock (_gate)
        {
            if (_files.Count == 0 || _files[^1].Path != path) return;
            _marks.RemoveRange(_files[^1].FirstMark, _marks.Count - _files[^1].FirstMark);
            _files.RemoveAt(_files.Count - 1);
        }
    }

    /// <summary>
    /// Where to read for the records after <paramref name="afterId"/>: the file holding the last mark at or before it,
    /// from that mark, then each later file from its start, at most <paramref name="limit"/> files (each holds at
    /// least one record after afterId, so that is enough for a page of <paramref name="limit"/>). Empty when no record is after it.
    /// </summary>
    public IReadOnlyList<Segment> SegmentsAfter(long afterId, int limit)
    {
        lock (_gate)
        {
            if (_marks.Count == 0 || _files[^1].LastId <= afterId) return [];
            var start = Math.Max(0, LastMarkAtOrBefore(afterId));
            var segments = new List<Segment>(Math.Min(limit, _files.Count - _marks[start].File));
            for (var f = _marks[start].File; f < _files.Count && segments.Count < limit; f++)
            {
                var mark = f == _marks[start].File ? _marks[start] : _marks[_files[f].FirstMark];
                if (_files[f].LastId > afterId) segments.Add(new Segment(_files[f].Path, mark.Offset, mark.Id, _files[f].LastId));
            }
            return segments;
        }
    }

    /// <summary>The position in the marks of the last one with id at most <paramref name="id"/>, or -1.</summary>
    private int LastMarkAtOrBefore(long id)
    {
        int low = 0, high = _marks.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = low + (high - low) / 2;
            if (_marks[middle].Id <= id)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return found;
    }
}
