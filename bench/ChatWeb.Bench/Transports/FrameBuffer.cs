using System.Buffers;

namespace ChatWeb.Bench.Transports;

/// <summary>Gets each complete frame (a line, a SignalR record) out of what a connection receives.</summary>
internal interface IFrameHandler
{
    /// <param name="frame">Without its delimiter; valid only during the call.</param>
    /// <param name="receivedTimestamp">When the read that completed it returned.</param>
    void OnFrame(ReadOnlySpan<byte> frame, long receivedTimestamp);
}

/// <summary>
/// A pooled receive buffer that cuts the byte stream at a delimiter and hands each frame over in place:
/// no copy and no allocation per frame. A frame split across reads waits for its end; the buffer grows
/// (up to <see cref="MaxFrameBytes"/>) only for a frame longer than itself.
/// </summary>
internal sealed class FrameBuffer(byte delimiter, int capacity) : IDisposable
{
    public const int MaxFrameBytes = 16 * 1024 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    private int _start;
    private int _end;

    /// <summary>Where the next read goes; never empty.</summary>
    public Memory<byte> FreeSpace
    {
        get
        {
            if (_end == _buffer.Length) MakeRoom();
            return _buffer.AsMemory(_end);
        }
    }

    /// <summary>Takes <paramref name="count"/> bytes just read into <see cref="FreeSpace"/> and hands over every frame they complete.</summary>
    public void Commit(int count, IFrameHandler handler, long receivedTimestamp)
    {
        var searchFrom = _end;
        _end += count;
        while (true)
        {
            var found = _buffer.AsSpan(searchFrom, _end - searchFrom).IndexOf(delimiter);
            if (found < 0) break;
            var frameEnd = searchFrom + found;
            handler.OnFrame(_buffer.AsSpan(_start, frameEnd - _start), receivedTimestamp);
            _start = searchFrom = frameEnd + 1;
        }
        if (_start == _end) _start = _end = 0;
    }

    private void MakeRoom()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }
        else
        {
            if (_buffer.Length >= MaxFrameBytes) throw new InvalidDataException($"a frame longer than {MaxFrameBytes} bytes arrived");
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, pending).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        _start = 0;
        _end = pending;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
